"""The frameworks: identity, versions and the ordered tree of items inside a version."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ledelse.models import Region, Unit
from values.choices import FrameworkKind, ItemKind, VersionStatus


class Framework(models.Model):
    """A framework's lasting identity. Its text lives in versions; `current_version` is the
    one pages show."""

    Kind = FrameworkKind

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="frameworks", verbose_name=_("region"))
    owner_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="frameworks", verbose_name=_("owner unit")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("stands under"),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    current_version = models.ForeignKey(
        "FrameworkVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current version"),
    )
    # The version last made from the data file: a reload compares the file with it, so
    # versions edited and published in the admin are never replaced by an unchanged file.
    loaded_version = models.ForeignKey(
        "FrameworkVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("version loaded from the data file"),
    )
    # What the data file said of title, kind, region, owner, parent and position when it was
    # last loaded: a reload changes only what the file changed, so renames made in the
    # admin or by the organisation import stay.
    loaded_identity = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["region__name", "position", "title"]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        constraints = [models.CheckConstraint(condition=~Q(parent=F("id")), name="framework_not_own_parent")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("values:framework_detail", args=[self.slug])

    @property
    def owner_label(self) -> str:
        return self.owner_unit.name if self.owner_unit_id else self.region.name


class FrameworkVersion(models.Model):
    Status = VersionStatus
    # The change notes the loader writes (values.services): for the admin's history, not
    # worth a reader's attention on the page.
    LOADED_NOTE = "Indlæst fra datafil"
    RELOADED_NOTE = "Ny version indlæst fra ændret datafil"

    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, related_name="versions", verbose_name=_("framework")
    )
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.KLADDE)
    approved_on = models.DateField(_("approved"), null=True, blank=True)
    adjusted_on = models.DateField(_("adjusted"), null=True, blank=True)
    launched_on = models.DateField(_("launched"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("Where the text comes from."))
    source_note = models.TextField(_("source note"), blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    change_note = models.TextField(_("change note"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("based on"),
        help_text=_("The version a draft was copied from."),
    )
    # Set by every service that changes what the version's pages show (its items, their
    # questions and links, a linked framework's current version or title). The pages cache
    # what depends only on the version under this stamp, so an edit shows at once.
    changed_at = models.DateTimeField(_("changed"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["framework", "-number"]
        verbose_name = _("framework version")
        verbose_name_plural = _("framework versions")
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="unique_version_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
            # One published version per framework; earlier ones are archived.
            models.UniqueConstraint(
                fields=["framework"], condition=Q(status=VersionStatus.UDGIVET), name="one_published_version"
            ),
            models.CheckConstraint(
                condition=Q(status=VersionStatus.KLADDE) | Q(published_at__isnull=False),
                name="published_versions_have_a_date",
            ),
        ]

    def __str__(self) -> str:
        return gettext("%(framework)s (version %(number)d)") % {"framework": self.framework, "number": self.number}

    def get_absolute_url(self) -> str:
        return reverse("values:framework_version", args=[self.framework.slug, self.number])

    @property
    def has_dates(self) -> bool:
        return bool(self.approved_on or self.adjusted_on or self.launched_on)

    @property
    def reader_change_note(self) -> str:
        """The change note, unless it is only the loader's own."""
        return "" if self.change_note in (self.LOADED_NOTE, self.RELOADED_NOTE) else self.change_note

    @property
    def source_title(self) -> str:
        """The source document's name for readers: the source note up to the document's
        kind in brackets ("... Personalepolitik (PDF)"); what follows is an editor's note
        on how the text was taken from it."""
        match = _SOURCE_TITLE.match(self.source_note)
        return match.group(1) if match else self.source_note


_LIST_LINE = re.compile(r"^(?:- |\d+\. )")
_SOURCE_TITLE = re.compile(r"^(.*?\))[.,]?(?:\s|$)")


@dataclass(frozen=True)
class Block:
    """A rendered paragraph: plain text, or a bulleted/numbered list."""

    kind: str  # "p", "ul" or "ol"
    text: str = ""
    lines: tuple[str, ...] = ()


def paragraph_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for para in filter(None, (p.strip() for p in text.split("\n\n"))):
        lines = para.split("\n")
        if len(lines) > 1 and all(_LIST_LINE.match(line) for line in lines):
            kind = "ul" if lines[0].startswith("- ") else "ol"
            blocks.append(Block(kind=kind, lines=tuple(_LIST_LINE.sub("", line, count=1) for line in lines)))
        else:
            blocks.append(Block(kind="p", text=" ".join(lines)))
    return blocks


class Item(models.Model):
    """A node of a version's text: a text block, a theme or a principle, in source order.

    `position` is the document order within the version; `parent` gives the nesting. Keys
    are stable across versions, which is how links and questions follow a framework from
    one version to the next.
    """

    Kind = ItemKind

    version = models.ForeignKey(
        FrameworkVersion, on_delete=models.CASCADE, related_name="items", verbose_name=_("version")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name=_("parent")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    key = models.SlugField(_("key"), max_length=150)
    position = models.PositiveIntegerField(_("position"))
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)
    title = models.CharField(_("title"), max_length=500, blank=True)
    subtitle = models.CharField(_("subtitle"), max_length=500, blank=True)
    body = models.TextField(_("text"), blank=True, help_text=_("Paragraphs separated by a blank line."))
    after = models.TextField(_("text after the sub-items"), blank=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # ledelse.concurrency
    # Kept current by a PostgreSQL trigger (migration 0007) on every insert and every change
    # of the text, whoever writes it; SQLite leaves it empty and searches plainly.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="unique_item_key_per_version"),
            # Deferred to the end of the transaction, so an edit in the admin can swap two
            # positions before the version is renumbered (values.services.version_renumber).
            models.UniqueConstraint(
                fields=["version", "position"],
                name="unique_item_position_per_version",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(condition=~Q(parent=F("id")), name="item_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.title or self.key

    def clean(self) -> None:
        if self.parent_id and self.version_id and self.parent.version_id != self.version_id:
            raise ValidationError({"parent": _("The parent must be in the same version.")})

    @property
    def anchor(self) -> str:
        return self.key

    @property
    def heading(self) -> str:
        """The title as a heading: without the lead-in colon or full stop the sources put
        after it ("Målopfyldelse:", "Forord."). The text itself keeps them."""
        title = self.title.rstrip()
        return title[:-1].rstrip() if title.endswith((":", ".")) and not title.endswith("..") else title

    @property
    def lead_in(self) -> str:
        """The heading when the source's text goes on from it as the subject of its first
        sentence ("Dialog" / "betyder, at vi lytter ..."): the page then repeats it at the
        start of the text, so the sentence reads whole."""
        return self.heading if self.body[:1].islower() else ""

    @property
    def has_text(self) -> bool:
        return bool(self.body.strip() or self.after.strip() or self.subtitle.strip())

    def blocks(self) -> list[Block]:
        return paragraph_blocks(self.body)

    def after_blocks(self) -> list[Block]:
        return paragraph_blocks(self.after)


class ReflectionQuestion(models.Model):
    """A question for dialogue, written by this project (the sources have none)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="questions", verbose_name=_("item"))
    text = models.TextField(_("question"))
    position = models.PositiveIntegerField(_("position"), default=0)
    is_project_text = models.BooleanField(
        _("the project's own text"),
        default=True,
        help_text=_("Written for this intranet, not taken from the source."),
    )

    class Meta:
        ordering = ["item", "position", "id"]
        verbose_name = _("reflection question")
        verbose_name_plural = _("reflection questions")

    def __str__(self) -> str:
        return self.text


class ItemLink(models.Model):
    """ "Relates to" between items of two different frameworks (the project's own reading)."""

    source = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="links_out", verbose_name=_("from"))
    target = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="links_in", verbose_name=_("to"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="unique_item_link"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="link_not_to_itself"),
        ]

    # Which links may be made (both ends in frameworks the user edits, to a current item,
    # between two frameworks): values.services.item_link_check.

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"

"""Writes to the frameworks: loading the data files, versions, drafts and publishing, and
every edit HR and administrators make (the admin calls these; so will the next UI).

The edits check who may make them (values.access) and what may change, and refuse with a
`ValidationError` whose Danish message the admin shows on its form, or `PermissionDenied`
for a user who may not edit the framework at all; nothing is half-saved. Every write that
changes what a version's pages show bumps that version's `changed_at` stamp
(`_versions_touch`): the pages cache what depends only on the version under it.

The search vector needs no care here: a PostgreSQL trigger keeps it current (migration 0007).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ledelse.concurrency.versions import Seen, seen_token, version_check
from ledelse.services import model_update, region_ensure, unit_ensure
from values import access, signals
from values.datafiles import (
    DATA_DIR,
    FRAMEWORK_DIR,
    LINKS_FILE,
    QUESTIONS_FILE,
    FrameworkData,
    FrameworkDataError,
    LinkData,
    QuestionsData,
    parse_framework_file,
    parse_links_file,
    parse_questions_file,
)
from values.models import Framework, FrameworkVersion, Item, ItemLink, ReflectionQuestion

User = AbstractBaseUser | AnonymousUser

# Items are numbered in steps, so HR can move one between two others in the admin (35
# between 30 and 40); every save renumbers the version in steps again.
POSITION_STEP = 10


# --- The changed stamp ------------------------------------------------------------------------


def _versions_touch(version_ids: Iterable[int], *, linked: bool = True) -> None:
    """Bump the changed stamp of these versions, and (`linked`) of every version at the
    other end of one of their links: those pages show these versions' items as related."""
    ids = {pk for pk in version_ids if pk}
    if linked and ids:
        ids |= set(ItemLink.objects.filter(source__version_id__in=ids).values_list("target__version_id", flat=True))
        ids |= set(ItemLink.objects.filter(target__version_id__in=ids).values_list("source__version_id", flat=True))
    if ids:
        FrameworkVersion.objects.filter(pk__in=ids).update(changed_at=timezone.now())


def _framework_versions_touch(framework_ids: Iterable[int]) -> None:
    """A framework's current version or title changed: every page of its versions, and
    every page that links to one of them, shows something else now."""
    ids = FrameworkVersion.objects.filter(framework_id__in=set(framework_ids)).values_list("pk", flat=True)
    _versions_touch(list(ids))


# --- Loading the data files -------------------------------------------------------------------


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    questions_added: int = 0
    links_added: int = 0

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.new_versions or self.questions_added or self.links_added)


def _create_items(version: FrameworkVersion, data: FrameworkData) -> dict[str, Item]:
    created: dict[str, Item] = {}
    for number, (item, parent, depth) in enumerate(data.walk(), start=1):
        created[item.key] = Item.objects.create(
            version=version,
            parent=created[parent.key] if parent else None,
            kind=item.kind,
            key=item.key,
            position=number * POSITION_STEP,
            depth=depth,
            title=item.title,
            subtitle=item.subtitle,
            body="\n\n".join(item.paragraphs),
            after="\n\n".join(item.after),
        )
    return created


def _carry_over(*, old: FrameworkVersion, new: FrameworkVersion) -> None:
    """Copy what the project wrote on `old` (questions and links) onto the items of `new`
    with the same keys.

    Why copy instead of move: plans and LUS point at the version they were made against,
    so `old` must keep reading as it did; an item whose key is gone in `new` simply loses
    its questions and links there."""
    new_items = {i.key: i for i in Item.objects.filter(version=new)}
    _carry_over_questions(old=old, new_items=new_items)
    _carry_over_links(old=old, new=new, new_items=new_items)


def _carry_over_questions(*, old: FrameworkVersion, new_items: dict[str, Item]) -> None:
    ReflectionQuestion.objects.bulk_create(
        ReflectionQuestion(
            item=new_items[q.item.key], text=q.text, position=q.position, is_project_text=q.is_project_text
        )
        for q in ReflectionQuestion.objects.filter(item__version=old).select_related("item")
        if q.item.key in new_items
    )


def _carry_over_links(*, old: FrameworkVersion, new: FrameworkVersion, new_items: dict[str, Item]) -> None:
    """Each link with an end in `old` gets that end moved to `new`'s item with the same key;
    the other end stays where it is.

    Why the other end must be current: if the other framework has itself moved on since,
    the link was already carried to its newer version when that one was made; copying it
    again would only pile up links to archived text."""
    links = ItemLink.objects.filter(Q(source__version=old) | Q(target__version=old)).select_related(
        "source__version__framework", "target__version__framework"
    )
    new_links = []
    for link in links:
        source = new_items.get(link.source.key) if link.source.version_id == old.pk else link.source
        target = new_items.get(link.target.key) if link.target.version_id == old.pk else link.target
        if source is None or target is None:
            continue
        other = target if source.version_id == new.pk else source
        if other.version.framework.current_version_id == other.version_id:
            new_links.append(ItemLink(source=source, target=target, note=link.note))
    ItemLink.objects.bulk_create(new_links, ignore_conflicts=True)


# (source framework id, source key, target framework id, target key)
LinkPair = tuple[int, str, int, str]


def _relink_to_current(*, version: FrameworkVersion) -> None:
    """After `version` became its framework's current version: make every link between one
    of this framework's versions and another framework again, between the two
    frameworks' current versions (the items with the same keys, where both exist).

    Why: a link is made against particular versions, and the frameworks' drafts can be
    published in any order. Re-making the links by key after each publication means a
    link survives whichever is published first. The old rows stay, so links made against
    an earlier version still read as they did there."""
    pairs = _link_pairs_of(framework_id=version.framework_id)
    items = _current_items_by_framework_and_key({p[0] for p in pairs} | {p[2] for p in pairs})
    new_links = []
    for (source_fw, source_key, target_fw, target_key), note in pairs.items():
        source = items.get((source_fw, source_key))
        target = items.get((target_fw, target_key))
        if source is not None and target is not None:
            new_links.append(ItemLink(source=source, target=target, note=note))
    ItemLink.objects.bulk_create(new_links, ignore_conflicts=True)


def _link_pairs_of(*, framework_id: int) -> dict[LinkPair, str]:
    """Every link with an end in one of the framework's versions, as framework and key at
    each end (what stays the same from version to version), with its note."""
    links = ItemLink.objects.filter(
        Q(source__version__framework_id=framework_id) | Q(target__version__framework_id=framework_id)
    ).select_related("source__version", "target__version")
    return {
        (link.source.version.framework_id, link.source.key, link.target.version.framework_id, link.target.key): (
            link.note
        )
        for link in links
    }


def _current_items_by_framework_and_key(framework_ids: set[int]) -> dict[tuple[int, str], Item]:
    current_versions = dict(
        Framework.objects.filter(pk__in=framework_ids, current_version__isnull=False).values_list(
            "current_version_id", "pk"
        )
    )
    return {(current_versions[i.version_id], i.key): i for i in Item.objects.filter(version_id__in=current_versions)}


def _framework_identity(data: FrameworkData, frameworks: dict[str, Framework]) -> Framework:
    """Create the framework, or apply what the file changed since it was last loaded:
    a title, region or owner changed in the admin or by the organisation import stays
    unless the file itself changes it."""
    said = {
        "title": data.title,
        "kind": data.kind,
        "region": data.region,
        "owner_unit": data.owner_unit,
        "parent": data.parent,
        "position": data.position,
    }
    framework = Framework.objects.select_related("region", "owner_unit").filter(slug=data.slug).first()
    changed = set(said) if framework is None else {k for k, v in said.items() if framework.loaded_identity.get(k) != v}
    if framework is None:
        framework = Framework(slug=data.slug)
    if "region" in changed:
        framework.region = region_ensure(name=data.region)
    if changed & {"region", "owner_unit"}:
        framework.owner_unit = unit_ensure(region=framework.region, name=data.owner_unit) if data.owner_unit else None
    if "parent" in changed:
        framework.parent = frameworks.get(data.parent) or (
            Framework.objects.get(slug=data.parent) if data.parent else None
        )
    model_update(instance=framework, data=said, fields=changed & {"title", "kind", "position"})
    framework.loaded_identity = said
    framework.save()
    return framework


def _unchanged_since_last_load(data: FrameworkData) -> Framework | None:
    """The framework, when the file is exactly what was last loaded from it.

    Why compare with the version loaded from the file and not the current one: a version
    HR edited and published in the admin stays current until the file itself changes."""
    existing = Framework.objects.select_related("loaded_version").filter(slug=data.slug).first()
    if existing is not None and existing.loaded_version is not None:
        if existing.loaded_version.content_hash == data.content_hash():
            return existing
    return None


def _version_from_file(
    *, framework: Framework, data: FrameworkData, based_on: FrameworkVersion | None
) -> FrameworkVersion:
    """A new version with the file's text, numbered after the framework's last one.
    Published in the file: the published version it replaces is archived first (one
    published version per framework)."""
    if data.status == FrameworkVersion.Status.UDGIVET:
        framework.versions.filter(status=FrameworkVersion.Status.UDGIVET).update(
            status=FrameworkVersion.Status.ARKIVERET
        )
    last = framework.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = FrameworkVersion.objects.create(
        framework=framework,
        number=last + 1,
        status=data.status,
        approved_on=data.approved,
        adjusted_on=data.adjusted,
        launched_on=data.launched,
        source=data.source,
        source_note=data.source_note,
        content_hash=data.content_hash(),
        change_note=FrameworkVersion.LOADED_NOTE if based_on is None else FrameworkVersion.RELOADED_NOTE,
        published_at=timezone.now() if data.status != FrameworkVersion.Status.KLADDE else None,
        based_on=based_on,
    )
    _create_items(version, data)
    return version


def framework_load(*, data: FrameworkData, frameworks: dict[str, Framework]) -> tuple[Framework, str]:
    """Load one parsed file: "created", "new version" or "unchanged".

    A changed file makes a new version carrying over the questions and links of the
    current one. It becomes current when the file publishes it, or when the framework had
    no version yet; a draft in the file waits in the admin. `frameworks` holds the
    frameworks loaded before this one (its parent among them)."""
    unchanged = _unchanged_since_last_load(data)
    if unchanged is not None:
        return unchanged, "unchanged"
    framework = _framework_identity(data, frameworks)
    current = framework.current_version
    version = _version_from_file(framework=framework, data=data, based_on=current)
    if current is not None:
        _carry_over(old=current, new=version)
    framework.loaded_version = version
    if data.status == FrameworkVersion.Status.UDGIVET or current is None:
        framework.current_version = version
    framework.save(update_fields=["loaded_version", "current_version"])
    if current is not None and framework.current_version_id == version.pk:
        _relink_to_current(version=version)
    if framework.current_version_id == version.pk and version.status == FrameworkVersion.Status.UDGIVET:
        _announce_published(version)
    return framework, "created" if current is None else "new version"


def _current_items(frameworks: dict[str, Framework]) -> dict[tuple[str, str], Item]:
    """The items readers see (each framework's current version), by (framework, key).
    An item HR removed or renamed in the admin is simply not there."""
    version_ids = {f.current_version_id: slug for slug, f in frameworks.items()}
    return {(version_ids[i.version_id], i.key): i for i in Item.objects.filter(version_id__in=version_ids)}


def _check_references(
    questions: list[QuestionsData],
    links: list[LinkData],
    known: set[tuple[str, str]],
    *,
    questions_file: Path,
    links_file: Path,
) -> None:
    for q in questions:
        if (q.framework, q.item) not in known:
            raise FrameworkDataError(questions_file, q.place, f"elementet {q.framework}:{q.item} findes ikke")
    for link in links:
        for end in (link.source, link.target):
            if end not in known:
                raise FrameworkDataError(links_file, link.place, f"elementet {end[0]}:{end[1]} findes ikke")


def _parents_first(parsed: list[FrameworkData]) -> list[FrameworkData]:
    """The files with each framework's parent before it; a ring is an error in the data."""
    by_slug = {data.slug: data for data in parsed}
    graph = {data.slug: {data.parent} & by_slug.keys() for data in parsed}
    try:
        return [by_slug[slug] for slug in TopologicalSorter(graph).static_order()]
    except CycleError as exc:
        first = by_slug[exc.args[1][0]]
        raise FrameworkDataError(first.file, "parent", "grundlagene står under hinanden i ring") from exc


def _questions_and_links_add(
    *, frameworks: dict[str, Framework], questions: list[QuestionsData], links: list[LinkData], report: LoadReport
) -> None:
    """The project's questions and links from the files, on the current versions. An item
    that has questions already (HR edited them in the admin) keeps its own."""
    items = _current_items(frameworks)
    has_questions = set(ReflectionQuestion.objects.filter(item__in=items.values()).values_list("item_id", flat=True))
    new_questions = []
    for q in questions:
        item = items.get((q.framework, q.item))
        if item is None or item.pk in has_questions:
            continue
        new_questions += [ReflectionQuestion(item=item, text=t, position=i) for i, t in enumerate(q.texts, start=1)]
        has_questions.add(item.pk)
    ReflectionQuestion.objects.bulk_create(new_questions)
    report.questions_added = len(new_questions)
    for link in links:
        source, target = items.get(link.source), items.get(link.target)
        if source is None or target is None:
            continue
        _obj, created = ItemLink.objects.get_or_create(source=source, target=target, defaults={"note": link.note})
        report.links_added += int(created)


def frameworks_load_all(*, data_dir: Path = DATA_DIR) -> LoadReport:
    """Load every framework file in `data_dir`/frameworks, then the project's questions
    and links beside them. All files are read and checked first; the writes happen in one
    transaction, so an error anywhere writes nothing."""
    framework_dir = data_dir / FRAMEWORK_DIR.name
    questions_file = data_dir / QUESTIONS_FILE.name
    links_file = data_dir / LINKS_FILE.name
    parsed = [parse_framework_file(path) for path in sorted(framework_dir.glob("*.toml"))]
    by_slug: dict[str, FrameworkData] = {}
    for data in parsed:
        if data.slug in by_slug:
            raise FrameworkDataError(data.file, "slug", f"{data.slug!r} bruges også i {by_slug[data.slug].file}")
        by_slug[data.slug] = data
    existing = set(Framework.objects.values_list("slug", flat=True))
    for data in parsed:
        if data.parent and data.parent not in by_slug and data.parent not in existing:
            raise FrameworkDataError(data.file, "parent", f"grundlaget {data.parent!r} findes ikke")
    questions = parse_questions_file(questions_file) if questions_file.exists() else []
    links = parse_links_file(links_file) if links_file.exists() else []
    known = {(d.slug, item.key) for d in parsed for item, _p, _d in d.walk()}
    _check_references(questions, links, known, questions_file=questions_file, links_file=links_file)
    ordered = _parents_first(parsed)

    report = LoadReport()
    outcomes = {"created": report.created, "new version": report.new_versions, "unchanged": report.unchanged}
    with transaction.atomic():
        frameworks: dict[str, Framework] = {}
        for data in ordered:
            framework, outcome = framework_load(data=data, frameworks=frameworks)
            frameworks[data.slug] = framework
            outcomes[outcome].append(data.slug)
        _questions_and_links_add(frameworks=frameworks, questions=questions, links=links, report=report)
        if report.changed_anything:
            # A load is rare and may touch any framework's links: every page reads afresh.
            FrameworkVersion.objects.update(changed_at=timezone.now())
    return report


# --- Versions: drafts and publishing ----------------------------------------------------------


def version_draft_create(*, version: FrameworkVersion) -> FrameworkVersion:
    """A new draft copied from `version`: items, questions and links, ready for editing."""
    with transaction.atomic():
        # Lock the framework so two drafts made at once get different numbers.
        framework = Framework.objects.select_for_update().get(pk=version.framework_id)
        number = framework.versions.order_by("-number").values_list("number", flat=True).first() + 1
        draft = FrameworkVersion.objects.create(
            framework=framework,
            number=number,
            status=FrameworkVersion.Status.KLADDE,
            approved_on=version.approved_on,
            adjusted_on=version.adjusted_on,
            launched_on=version.launched_on,
            source=version.source,
            source_note=version.source_note,
            change_note=f"Kladde ud fra version {version.number}",
            # A draft of a draft builds on what its source built on.
            based_on=version.based_on if version.status == FrameworkVersion.Status.KLADDE else version,
        )
        new_by_old: dict[int, Item] = {}
        for old in Item.objects.filter(version=version).order_by("position"):
            new_by_old[old.pk] = Item.objects.create(
                version=draft,
                parent=new_by_old.get(old.parent_id),
                kind=old.kind,
                key=old.key,
                position=old.position,
                depth=old.depth,
                title=old.title,
                subtitle=old.subtitle,
                body=old.body,
                after=old.after,
            )
        _carry_over(old=version, new=draft)
    return draft


class PublishError(Exception):
    pass


def version_publish(*, version: FrameworkVersion) -> FrameworkVersion:
    """Publish a draft: it becomes the framework's current version and the one it replaces
    is archived (kept, so plans and LUS made against it still point at it)."""
    if version.status != FrameworkVersion.Status.KLADDE:
        raise PublishError(_("Only a draft can be published."))
    with transaction.atomic():
        framework = Framework.objects.select_for_update().get(pk=version.framework_id)
        if version.based_on_id and framework.current_version_id not in (None, version.based_on_id):
            # Someone published another version (or the data file changed) after this
            # draft was made: publishing it would silently undo that.
            raise PublishError(
                _(
                    "The draft builds on version %(based)s, but version %(current)s has been published since. "
                    "Make a new draft from the current version."
                )
                % {"based": version.based_on.number, "current": framework.current_version.number}
            )
        FrameworkVersion.objects.filter(framework=framework, status=FrameworkVersion.Status.UDGIVET).update(
            status=FrameworkVersion.Status.ARKIVERET
        )
        version.status = FrameworkVersion.Status.UDGIVET
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
        framework.current_version = version
        framework.save(update_fields=["current_version"])
        _relink_to_current(version=version)
        _framework_versions_touch([framework.pk])
        _announce_published(version)
    return version


def _announce_published(version: FrameworkVersion) -> None:
    """values.signals.version_published, once the publishing is committed."""
    version_id = version.pk
    transaction.on_commit(lambda: signals.version_published.send(sender=FrameworkVersion, version_id=version_id))


def version_update(*, user: User, version: FrameworkVersion, changes: Mapping[str, Any]) -> FrameworkVersion:
    """Change a draft's dates, source and change note."""
    with transaction.atomic():
        version = (
            FrameworkVersion.objects.select_for_update(of=("self",)).select_related("framework").get(pk=version.pk)
        )
        _require_editor(user, version.framework)
        if not access.version_text_editable(version):
            raise ValidationError(_("Only a draft can be edited; make a draft of a new version first."))
        model_update(instance=version, data=changes)
        version.full_clean()
        version.save()
        _versions_touch([version.pk], linked=False)
    return version


def version_delete(*, user: User, version: FrameworkVersion) -> None:
    """Delete a draft. Published and archived versions are kept: plans and LUS point at them."""
    with transaction.atomic():
        version = FrameworkVersion.objects.select_related("framework__owner_unit").get(pk=version.pk)
        _require_editor(user, version.framework)
        if not access.version_text_editable(version):
            raise ValidationError(_("Only a draft can be deleted."))
        version.delete()


# --- Frameworks ---------------------------------------------------------------------------------

# Where a framework belongs decides who may edit it.
FRAMEWORK_PLACE_FIELDS = ("region", "owner_unit", "parent")
FRAMEWORK_EDITABLE_FIELDS = ("title", "kind", "position", *FRAMEWORK_PLACE_FIELDS)


def _require_editor(user: User, framework: Framework) -> None:
    if not access.can_edit_framework(user, framework):
        raise PermissionDenied(_("You do not edit this framework."))


def framework_update_check(*, user: User, framework: Framework, changes: Mapping[str, Any]) -> None:
    """Why each change would be refused (a ValidationError by field), or nothing.

    Moving a framework to another region, owner or parent decides who edits it, so only
    administrators may: otherwise HR could move a framework out of another HR's scope, or
    into its own."""
    _require_editor(user, framework)
    unknown = set(changes) - set(FRAMEWORK_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    moved = [name for name in FRAMEWORK_PLACE_FIELDS if name in changes and changes[name] != getattr(framework, name)]
    if moved and not access.can_move_framework(user):
        message = _("Only administrators can move a framework to another region, owner or parent.")
        raise ValidationError(dict.fromkeys(moved, message))
    if "parent" in changes and changes["parent"] is not None and changes["parent"].pk == framework.pk:
        raise ValidationError({"parent": _("A framework cannot stand under itself.")})


def framework_update(*, user: User, framework: Framework, changes: Mapping[str, Any]) -> Framework:
    """Change a framework's title, kind, position or (administrators) its place."""
    with transaction.atomic():
        framework = Framework.objects.select_for_update(of=("self",)).select_related("owner_unit").get(pk=framework.pk)
        framework_update_check(user=user, framework=framework, changes=changes)
        model_update(instance=framework, data=changes)
        framework.full_clean()
        framework.save()
        # Its title shows on the pages that link to it.
        _framework_versions_touch([framework.pk])
    return framework


# --- Items of a draft ----------------------------------------------------------------------------

ITEM_EDITABLE_FIELDS = ("parent", "kind", "key", "position", "title", "subtitle", "body", "after")


def _check_no_rings(parents: Mapping[int, int | None]) -> None:
    """`parents` maps item ids to their parent ids; a ring would drop its items from the tree."""
    graph = {pk: {parent} if parent else set() for pk, parent in parents.items()}
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        raise ValidationError({"parent": _("An item cannot stand under itself or one of its own sub-items.")}) from exc


def item_values(*, item: Item) -> dict[str, Any]:
    """The item as its admin form shows it: what ledelse.concurrency compares."""
    return {name: getattr(item, name) for name in ITEM_EDITABLE_FIELDS}


def item_seen_token(*, item: Item) -> str:
    return seen_token(number=item.lock_version, values=item_values(item=item))


def item_update_check(*, user: User, item: Item, changes: Mapping[str, Any], seen: Seen | None = None) -> None:
    """Why the change would be refused (a ValidationError), or nothing. Only a draft's text
    changes: a published version is what plans and LUS were made against. `seen` is the
    version the form was loaded from: a change over someone else's newer one raises
    VersionConflict."""
    version = item.version
    _require_editor(user, version.framework)
    version_check(seen=seen, number=item.lock_version, theirs=item_values(item=item), yours=changes)
    if not access.version_text_editable(version):
        raise ValidationError(_("Only a draft's items can be edited; make a draft of a new version first."))
    unknown = set(changes) - set(ITEM_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "parent" in changes:
        parent = changes["parent"]
        if parent is not None and parent.version_id != version.pk:
            raise ValidationError({"parent": _("The parent must be in the same version.")})
        parents = dict(Item.objects.filter(version=version).values_list("pk", "parent_id"))
        parents[item.pk] = parent.pk if parent is not None else None
        _check_no_rings(parents)


def item_update(*, user: User, item: Item, changes: Mapping[str, Any], seen: Seen | None = None) -> Item:
    """Edit an item of a draft. Positions and depths are renumbered in document order
    after it (a new position moves the item, with its sub-items, between two others)."""
    with transaction.atomic():
        item = (
            Item.objects.select_for_update(of=("self",))
            .select_related("version__framework__owner_unit")
            .get(pk=item.pk)
        )
        item_update_check(user=user, item=item, changes=changes, seen=seen)
        model_update(instance=item, data=changes)
        item.lock_version += 1
        item.full_clean()
        item.save()
        version_renumber(version=item.version)
        _versions_touch([item.version_id])
    return item


def version_items_check(*, user: User, version: FrameworkVersion, items: Iterable[Item]) -> None:
    """Why saving these items (new or changed, not yet saved) into `version` would be
    refused, or nothing."""
    _require_editor(user, version.framework)
    if not access.version_text_editable(version):
        raise ValidationError(_("Only a draft's items can be edited; make a draft of a new version first."))
    parents = dict(Item.objects.filter(version=version).values_list("pk", "parent_id"))
    for item in items:
        if item.parent_id and item.parent.version_id != version.pk:
            raise ValidationError({"parent": _("The parent must be in the same version.")})
        if item.pk:
            parents[item.pk] = item.parent_id
    _check_no_rings(parents)


def version_items_save(
    *, user: User, version: FrameworkVersion, items: Iterable[Item] = (), deleted: Iterable[Item] = ()
) -> None:
    """Save new and changed items of a draft and delete others (the version page's list),
    then renumber it in document order."""
    items, deleted = list(items), list(deleted)
    with transaction.atomic():
        version = FrameworkVersion.objects.select_related("framework__owner_unit").get(pk=version.pk)
        version_items_check(user=user, version=version, items=items)
        for item in deleted:
            if item.version_id != version.pk:
                raise ValidationError(_("The item is not in this version."))
            item.delete()
        for item in items:
            item.version = version
            item.save()
        version_renumber(version=version)
        _versions_touch([version.pk])


def item_delete(*, user: User, item: Item) -> None:
    """Delete an item of a draft (with its sub-items, questions and links)."""
    version_items_save(user=user, version=item.version, deleted=[item])


def version_renumber(*, version: FrameworkVersion) -> None:
    """Put a version's items back in document order after an edit.

    HR orders themes and principles by their `position` (give a theme 35 to move it between
    the items at 30 and 40); a parent's sub-items always follow it, in their own position
    order, and depths follow the nesting. Positions become 10, 20, 30 ... again. Runs in
    the editing service's transaction, where the deferred unique constraint on positions
    is checked at the end."""
    items = list(Item.objects.filter(version=version).order_by("position", "pk"))
    children: dict[int | None, list[Item]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    ordered: list[tuple[Item, int]] = []

    def visit(parent_id: int | None, depth: int) -> None:
        for child in children.get(parent_id, []):
            ordered.append((child, depth))
            visit(child.pk, depth + 1)

    visit(None, 0)
    changed = []
    for number, (item, depth) in enumerate(ordered, start=1):
        if (item.position, item.depth) != (number * POSITION_STEP, depth):
            item.position, item.depth = number * POSITION_STEP, depth
            changed.append(item)
    Item.objects.bulk_update(changed, ["position", "depth"])


# --- Reflection questions (the project's own text: editable on every version) ---------------------


def question_save(*, user: User, question: ReflectionQuestion) -> ReflectionQuestion:
    """Add or change a reflection question. Questions are the project's text, not the
    source's, so they may change on published versions too; the page shows it at once."""
    with transaction.atomic():
        item = Item.objects.select_related("version__framework__owner_unit").get(pk=question.item_id)
        _require_editor(user, item.version.framework)
        question.full_clean()
        question.save()
        _versions_touch([item.version_id], linked=False)
    return question


def question_delete(*, user: User, question: ReflectionQuestion) -> None:
    with transaction.atomic():
        item = Item.objects.select_related("version__framework__owner_unit").get(pk=question.item_id)
        _require_editor(user, item.version.framework)
        question.delete()
        _versions_touch([item.version_id], linked=False)


# --- Links between frameworks ---------------------------------------------------------------------


def item_link_check(*, user: User, source: Item, target: Item, link: ItemLink | None = None) -> None:
    """Why a link from `source` to `target` would be refused (a ValidationError by field),
    or nothing.

    Both ends must lie in frameworks the user edits: a link shows on the pages of both
    ends, so HR for one region must not be able to put a note on another region's
    framework. The target must be a current, published item: a link is read from the
    current text, and one made to a draft or an archived version would show nowhere."""
    if link is not None and link.pk and not access.can_edit_link(user, link):
        raise PermissionDenied(_("You do not edit this link."))
    if source.version.framework_id == target.version.framework_id:
        raise ValidationError(_("A link goes between two different frameworks."))
    errors: dict[str, list[str]] = {}
    if not access.can_edit_framework(user, source.version.framework):
        errors.setdefault("source", []).append(_("You can only add links from frameworks you edit."))
    if not access.can_edit_framework(user, target.version.framework):
        errors.setdefault("target", []).append(_("You can only add links to frameworks you edit."))
    target_version = target.version
    if (
        target_version.status != FrameworkVersion.Status.UDGIVET
        or target_version.framework.current_version_id != target_version.pk
    ):
        errors.setdefault("target", []).append(
            _("A link must go to an item in a framework's current, published version.")
        )
    if errors:
        raise ValidationError(errors)


def _link_ends(*, source: Item, target: Item) -> tuple[Item, Item]:
    # Fresh from the database, with what the checks read.
    ends = Item.objects.select_related("version__framework__owner_unit").in_bulk([source.pk, target.pk])
    return ends[source.pk], ends[target.pk]


def item_link_create(*, user: User, source: Item, target: Item, note: str = "") -> ItemLink:
    with transaction.atomic():
        source, target = _link_ends(source=source, target=target)
        item_link_check(user=user, source=source, target=target)
        link = ItemLink(source=source, target=target, note=note)
        link.full_clean()
        link.save()
        _versions_touch([source.version_id, target.version_id], linked=False)
    return link


def item_link_update(*, user: User, link: ItemLink, source: Item, target: Item, note: str) -> ItemLink:
    """Change a link's ends or note; the user must edit the frameworks at both its old and
    its new ends."""
    with transaction.atomic():
        link = ItemLink.objects.select_related(
            "source__version__framework__owner_unit", "target__version__framework__owner_unit"
        ).get(pk=link.pk)
        old_versions = [link.source.version_id, link.target.version_id]
        source, target = _link_ends(source=source, target=target)
        item_link_check(user=user, source=source, target=target, link=link)
        link.source, link.target, link.note = source, target, note
        link.full_clean()
        link.save()
        _versions_touch([*old_versions, source.version_id, target.version_id], linked=False)
    return link


def item_link_delete(*, user: User, link: ItemLink) -> None:
    with transaction.atomic():
        link = ItemLink.objects.select_related(
            "source__version__framework__owner_unit", "target__version__framework__owner_unit"
        ).get(pk=link.pk)
        if not access.can_edit_link(user, link):
            raise PermissionDenied(_("You do not edit this link."))
        versions = [link.source.version_id, link.target.version_id]
        link.delete()
        _versions_touch(versions, linked=False)

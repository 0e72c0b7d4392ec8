"""Writes to the frameworks: loading the data files, versions, drafts and publishing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ledelse.services import region_ensure, unit_ensure
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

# Items are numbered in steps, so HR can move one between two others in the admin (35
# between 30 and 40); every save renumbers the version in steps again.
POSITION_STEP = 10


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    questions_added: int = 0
    links_added: int = 0


def item_search_refresh(*, items) -> None:
    """Recompute the Danish full-text vectors (PostgreSQL only; SQLite searches plainly)."""
    if connection.vendor != "postgresql":
        return
    Item.objects.filter(pk__in=[i.pk for i in items] if isinstance(items, list) else items.values("pk")).update(
        search_vector=SearchVector("title", weight="A", config="danish")
        + SearchVector("subtitle", weight="B", config="danish")
        + SearchVector("body", "after", weight="C", config="danish")
    )


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
    item_search_refresh(items=Item.objects.filter(version=version))
    return created


def _carry_over(*, old: FrameworkVersion, new: FrameworkVersion) -> None:
    """Questions and links follow items with the same key into the new version; the old
    version keeps its own, so what was made against it still reads as it was."""
    new_items = {i.key: i for i in Item.objects.filter(version=new)}
    ReflectionQuestion.objects.bulk_create(
        ReflectionQuestion(
            item=new_items[q.item.key], text=q.text, position=q.position, is_project_text=q.is_project_text
        )
        for q in ReflectionQuestion.objects.filter(item__version=old).select_related("item")
        if q.item.key in new_items
    )
    links = ItemLink.objects.filter(source__version=old) | ItemLink.objects.filter(target__version=old)
    new_links = []
    for link in links.select_related("source__version__framework", "target__version__framework"):
        source = new_items.get(link.source.key) if link.source.version_id == old.pk else link.source
        target = new_items.get(link.target.key) if link.target.version_id == old.pk else link.target
        if source is None or target is None:
            continue
        # A link whose other end has itself moved on to a newer version was carried over
        # with that end; copying it again would only pile up links to archived text.
        other = target if source.version_id == new.pk else source
        if other.version.framework.current_version_id == other.version_id:
            new_links.append(ItemLink(source=source, target=target, note=link.note))
    ItemLink.objects.bulk_create(new_links, ignore_conflicts=True)


def _relink_to_current(*, version: FrameworkVersion) -> None:
    """After `version` became its framework's current version: every link between one of
    this framework's versions and another framework is made again between the current
    versions' items with the same keys, where both exist. So a link survives whichever
    order the frameworks' drafts are published in, and links made against an earlier
    version stay as they were (the old rows are kept)."""
    framework_id = version.framework_id
    links = ItemLink.objects.filter(source__version__framework_id=framework_id) | ItemLink.objects.filter(
        target__version__framework_id=framework_id
    )
    pairs = {
        (
            link.source.version.framework_id,
            link.source.key,
            link.target.version.framework_id,
            link.target.key,
        ): link.note
        for link in links.select_related("source__version", "target__version")
    }
    current_versions = dict(
        Framework.objects.filter(pk__in={p[0] for p in pairs} | {p[2] for p in pairs}).values_list(
            "pk", "current_version_id"
        )
    )
    items = {
        (i.version_id, i.key): i
        for i in Item.objects.filter(version_id__in=[v for v in current_versions.values() if v])
    }
    new_links = []
    for (source_fw, source_key, target_fw, target_key), note in pairs.items():
        source = items.get((current_versions.get(source_fw), source_key))
        target = items.get((current_versions.get(target_fw), target_key))
        if source is not None and target is not None:
            new_links.append(ItemLink(source=source, target=target, note=note))
    ItemLink.objects.bulk_create(new_links, ignore_conflicts=True)


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
    for key in changed & {"title", "kind", "position"}:
        setattr(framework, key, said[key])
    framework.loaded_identity = said
    framework.save()
    return framework


def framework_load(*, data: FrameworkData, frameworks: dict[str, Framework]) -> tuple[Framework, str]:
    """Load one parsed file: "created", "new version" or "unchanged".

    The file is compared with the version last loaded from it, not with the current
    version: a version HR edited and published in the admin stays current until the file
    itself changes. A new version from the file becomes current only when it is published
    (a draft in the file waits in the admin)."""
    content_hash = data.content_hash()
    existing = Framework.objects.select_related("loaded_version").filter(slug=data.slug).first()
    if (
        existing is not None
        and existing.loaded_version is not None
        and existing.loaded_version.content_hash == content_hash
    ):
        return existing, "unchanged"
    framework = _framework_identity(data, frameworks)
    current = framework.current_version
    number = (framework.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    publish = data.status == FrameworkVersion.Status.UDGIVET
    if publish:
        # One published version per framework: the one it replaces is archived first.
        framework.versions.filter(status=FrameworkVersion.Status.UDGIVET).update(
            status=FrameworkVersion.Status.ARKIVERET
        )
    version = FrameworkVersion.objects.create(
        framework=framework,
        number=number,
        status=data.status,
        approved_on=data.approved,
        adjusted_on=data.adjusted,
        launched_on=data.launched,
        source=data.source,
        source_note=data.source_note,
        content_hash=content_hash,
        change_note="Indlæst fra datafil" if current is None else "Ny version indlæst fra ændret datafil",
        published_at=timezone.now() if data.status != FrameworkVersion.Status.KLADDE else None,
        based_on=current,
    )
    _create_items(version, data)
    if current is not None:
        _carry_over(old=current, new=version)
    framework.loaded_version = version
    if publish or current is None:
        framework.current_version = version
    framework.save(update_fields=["loaded_version", "current_version"])
    if current is not None and framework.current_version_id == version.pk:
        _relink_to_current(version=version)
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

    # Parents before the frameworks that stand under them.
    ordered: list[FrameworkData] = []

    def place(data: FrameworkData, seen: tuple[str, ...] = ()) -> None:
        if data in ordered:
            return
        if data.slug in seen:
            raise FrameworkDataError(data.file, "parent", "grundlagene står under hinanden i ring")
        if data.parent in by_slug:
            place(by_slug[data.parent], (*seen, data.slug))
        ordered.append(data)

    for data in parsed:
        place(data)

    report = LoadReport()
    with transaction.atomic():
        frameworks: dict[str, Framework] = {}
        for data in ordered:
            framework, outcome = framework_load(data=data, frameworks=frameworks)
            frameworks[data.slug] = framework
            {"created": report.created, "new version": report.new_versions, "unchanged": report.unchanged}[
                outcome
            ].append(data.slug)
        items = _current_items(frameworks)
        has_questions = set(
            ReflectionQuestion.objects.filter(item__in=items.values()).values_list("item_id", flat=True)
        )
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
    return report


# --- Editing in the admin ---------------------------------------------------------------------


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
        old_items = list(Item.objects.filter(version=version).order_by("position"))
        new_by_old: dict[int, Item] = {}
        for old in old_items:
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
        item_search_refresh(items=Item.objects.filter(version=draft))
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
    return version


def version_renumber(*, version: FrameworkVersion) -> None:
    """Put a version's items back in document order after an edit in the admin.

    HR orders themes and principles by their `position` (give a theme 35 to move it between
    the items at 30 and 40); a parent's sub-items always follow it, in their own position
    order, and depths follow the nesting. Positions become 10, 20, 30 ... again. Runs in the
    admin's transaction, where the deferred unique constraint on positions is checked at
    the end."""
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

"""Reading and checking the framework data files (format: docs/framework-data.md).

Everything is checked before anything is written; an error names the file, the place in
it and the reason.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from values.choices import FrameworkKind, ItemKind, VersionStatus

DATA_DIR = Path(__file__).resolve().parent / "data"
FRAMEWORK_DIR = DATA_DIR / "frameworks"
QUESTIONS_FILE = DATA_DIR / "questions.toml"
LINKS_FILE = DATA_DIR / "links.toml"

# The one list of each is the models' choices.
KINDS = tuple(FrameworkKind.values)
STATUSES = tuple(VersionStatus.values)
ITEM_KINDS = tuple(ItemKind.values)
# Path segments the framework URLs use for their own pages.
RESERVED_SLUGS = ("soeg", "sammenlign", "version")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOP_KEYS = {
    "slug",
    "title",
    "kind",
    "region",
    "owner_unit",
    "parent",
    "status",
    "approved",
    "adjusted",
    "launched",
    "source",
    "source_note",
    "position",
    "fidelity",
    "items",
}
_ITEM_KEYS = {"kind", "title", "subtitle", "paragraphs", "after", "key", "children"}


class FrameworkDataError(Exception):
    def __init__(self, file: Path | str, place: str, reason: str) -> None:
        self.file, self.place, self.reason = str(file), place, reason
        super().__init__(f"{file}: {place}: {reason}")


def danish_slug(text: str) -> str:
    text = text.lower()
    for danish, ascii_ in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), ("ü", "u")):
        text = text.replace(danish, ascii_)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:150].strip("-")


@dataclass
class ItemData:
    kind: str
    key: str
    title: str
    subtitle: str
    paragraphs: list[str]
    after: list[str]
    children: list[ItemData] = field(default_factory=list)


@dataclass
class FrameworkData:
    file: str
    slug: str
    title: str
    kind: str
    region: str
    owner_unit: str
    parent: str
    status: str
    approved: datetime.date | None
    adjusted: datetime.date | None
    launched: datetime.date | None
    source: str
    source_note: str
    position: int
    items: list[ItemData]
    ignore_lines: list[str] = field(default_factory=list)

    def content_hash(self) -> str:
        """What makes a new version: the text and its status, dates and source."""
        content = {k: v for k, v in asdict(self).items() if k not in ("file", "ignore_lines")}
        raw = json.dumps(content, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(raw.encode()).hexdigest()

    def walk(self) -> Iterator[tuple[ItemData, ItemData | None, int]]:
        """(item, parent, depth) in document order."""

        def visit(
            items: list[ItemData], parent: ItemData | None, depth: int
        ) -> Iterator[tuple[ItemData, ItemData | None, int]]:
            for item in items:
                yield item, parent, depth
                yield from visit(item.children, item, depth + 1)

        yield from visit(self.items, None, 0)


def _load_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise FrameworkDataError(path, "-", "filen findes ikke") from None
    except tomllib.TOMLDecodeError as exc:
        raise FrameworkDataError(path, "TOML", str(exc)) from exc


def _text(path: Path, place: str, value: object, *, required: bool = False) -> str:
    if value is None:
        if required:
            raise FrameworkDataError(path, place, "mangler")
        return ""
    if not isinstance(value, str):
        raise FrameworkDataError(path, place, "skal være tekst")
    value = value.strip()
    if required and not value:
        raise FrameworkDataError(path, place, "må ikke være tom")
    return value


def _paragraphs(path: Path, place: str, value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
        raise FrameworkDataError(path, place, "skal være en liste af tekster")
    for i, p in enumerate(value):
        if not p.strip():
            raise FrameworkDataError(path, f"{place}[{i}]", "tomt afsnit")
        if "\n\n" in p.strip():
            raise FrameworkDataError(path, f"{place}[{i}]", "et afsnit må ikke indeholde en tom linje")
    return [p.strip() for p in value]


def _date(path: Path, place: str, value: object) -> datetime.date | None:
    if value is None:
        return None
    if not isinstance(value, datetime.date) or isinstance(value, datetime.datetime):
        raise FrameworkDataError(path, place, "skal være en dato (ÅÅÅÅ-MM-DD)")
    return value


def _item(path: Path, place: str, raw: object, keys: dict[str, str]) -> ItemData:
    if not isinstance(raw, dict):
        raise FrameworkDataError(path, place, "skal være en tabel")
    unknown = set(raw) - _ITEM_KEYS
    if unknown:
        raise FrameworkDataError(path, place, "ukendte felter: " + ", ".join(sorted(unknown)))
    kind = _text(path, f"{place}.kind", raw.get("kind"), required=True)
    if kind not in ITEM_KINDS:
        raise FrameworkDataError(path, f"{place}.kind", f"ukendt kind {kind!r} (brug {', '.join(ITEM_KINDS)})")
    title = _text(path, f"{place}.title", raw.get("title"))
    key = _text(path, f"{place}.key", raw.get("key")) or danish_slug(title)
    if not key:
        raise FrameworkDataError(path, place, "et element uden titel skal have en key")
    if not _SLUG.match(key):
        raise FrameworkDataError(path, f"{place}.key", f"{key!r} må kun indeholde a-z, 0-9 og bindestreger")
    if key in keys:
        raise FrameworkDataError(path, place, f"key {key!r} bruges også i {keys[key]}")
    keys[key] = place
    paragraphs = _paragraphs(path, f"{place}.paragraphs", raw.get("paragraphs"))
    after = _paragraphs(path, f"{place}.after", raw.get("after"))
    children_raw = raw.get("children", [])
    if not isinstance(children_raw, list):
        raise FrameworkDataError(path, f"{place}.children", "skal være en liste")
    if not (title or paragraphs):
        raise FrameworkDataError(path, place, "et element skal have en titel eller tekst")
    children = [_item(path, f"{place}.children[{i}]", c, keys) for i, c in enumerate(children_raw)]
    return ItemData(
        kind, key, title, _text(path, f"{place}.subtitle", raw.get("subtitle")), paragraphs, after, children
    )


def parse_framework_file(path: Path) -> FrameworkData:
    raw = _load_toml(path)
    unknown = set(raw) - _TOP_KEYS
    if unknown:
        raise FrameworkDataError(path, "top", "ukendte felter: " + ", ".join(sorted(unknown)))
    slug = _text(path, "slug", raw.get("slug"), required=True)
    if not _SLUG.match(slug) or slug in RESERVED_SLUGS:
        raise FrameworkDataError(path, "slug", f"{slug!r} kan ikke bruges som slug")
    kind = _text(path, "kind", raw.get("kind"), required=True)
    if kind not in KINDS:
        raise FrameworkDataError(path, "kind", f"ukendt kind {kind!r} (brug {', '.join(KINDS)})")
    status = _text(path, "status", raw.get("status")) or VersionStatus.UDGIVET
    if status not in STATUSES:
        raise FrameworkDataError(path, "status", f"ukendt status {status!r} (brug {', '.join(STATUSES)})")
    position = raw.get("position", 0)
    if not isinstance(position, int) or position < 0:
        raise FrameworkDataError(path, "position", "skal være et helt tal ≥ 0")
    items_raw = raw.get("items")
    if not isinstance(items_raw, list) or not items_raw:
        raise FrameworkDataError(path, "items", "mangler: et grundlag skal have mindst ét element")
    keys: dict[str, str] = {}
    items = [_item(path, f"items[{i}]", item, keys) for i, item in enumerate(items_raw)]
    fidelity = raw.get("fidelity", {})
    ignore = fidelity.get("ignore_lines", []) if isinstance(fidelity, dict) else []
    return FrameworkData(
        file=str(path),
        slug=slug,
        title=_text(path, "title", raw.get("title"), required=True),
        kind=kind,
        region=_text(path, "region", raw.get("region"), required=True),
        owner_unit=_text(path, "owner_unit", raw.get("owner_unit")),
        parent=_text(path, "parent", raw.get("parent")),
        status=status,
        approved=_date(path, "approved", raw.get("approved")),
        adjusted=_date(path, "adjusted", raw.get("adjusted")),
        launched=_date(path, "launched", raw.get("launched")),
        source=_text(path, "source", raw.get("source")),
        source_note=_text(path, "source_note", raw.get("source_note")),
        position=position,
        items=items,
        ignore_lines=list(ignore),
    )


@dataclass
class QuestionsData:
    place: str
    framework: str
    item: str
    texts: list[str]


@dataclass
class LinkData:
    place: str
    source: tuple[str, str]
    target: tuple[str, str]
    note: str


def _table_entries(path: Path, name: str) -> Iterator[tuple[str, dict]]:
    """(place, table) for each entry of the file's [[name]] array of tables."""
    entries = _load_toml(path).get(name, [])
    if not isinstance(entries, list):
        raise FrameworkDataError(path, name, "skal være en liste")
    for i, entry in enumerate(entries):
        place = f"{name}[{i}]"
        if not isinstance(entry, dict):
            raise FrameworkDataError(path, place, "skal være en tabel")
        yield place, entry


def parse_questions_file(path: Path) -> list[QuestionsData]:
    out = []
    for place, entry in _table_entries(path, "questions"):
        texts = _paragraphs(path, f"{place}.texts", entry.get("texts"))
        if not texts:
            raise FrameworkDataError(path, f"{place}.texts", "mangler")
        out.append(
            QuestionsData(
                place,
                _text(path, f"{place}.framework", entry.get("framework"), required=True),
                _text(path, f"{place}.item", entry.get("item"), required=True),
                texts,
            )
        )
    return out


def _link_end(path: Path, place: str, value: object) -> tuple[str, str]:
    value = _text(path, place, value, required=True)
    framework, sep, item = value.partition(":")
    if not sep or not framework or not item:
        raise FrameworkDataError(path, place, f"{value!r} skal have formen grundlag:element")
    return framework, item


def parse_links_file(path: Path) -> list[LinkData]:
    out = []
    for place, entry in _table_entries(path, "links"):
        source = _link_end(path, f"{place}.from", entry.get("from"))
        target = _link_end(path, f"{place}.to", entry.get("to"))
        if source[0] == target[0]:
            raise FrameworkDataError(path, place, "et link skal gå mellem to forskellige grundlag")
        out.append(LinkData(place, source, target, _text(path, f"{place}.note", entry.get("note"))))
    return out

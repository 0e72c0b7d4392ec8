"""Fidelity helpers: compare a framework data file with the PDF extract it was made from.

Pure Python (the stdlib and the kinds from ``values.choices``, which need no Django set-up), so they can be used both by the database-free data-file test
(``tests/values/test_data_files.py``) and by a later test that builds the same structure
from the database.

The comparison works on *skeletons*: the text with all whitespace, all hyphen/dash
characters and bullet glyphs removed. The skeleton makes the check blind to what the
data files are allowed to mend (line breaks, hyphenated line-end splits, runs of spaces,
bullets written as ``- `` list lines) and sensitive to everything else: a changed,
added, dropped or moved word.

Vocabulary:

* *running text* — the source extract with the ``[fidelity] ignore_lines`` dropped,
  hyphenated line-end word splits joined and runs of spaces collapsed; one source line per
  line. Given ``repeated`` and ``displaced`` entries, the first occurrence of each repeated
  text and every occurrence of each displaced text are cut out too.
* *source sentences* — the running text split at ``. ! ? :`` (followed by whitespace) and
  at bullets; line breaks inside a sentence are kept as ``\\n``.
* *data texts* — every title, subtitle, paragraph and ``after`` paragraph of a framework
  file in document order (title, subtitle, paragraphs, children, after).

``[fidelity]`` keys understood here (see docs/framework-data.md):

* ``ignore_lines`` — source lines (exact match after stripping) that are extraction
  artefacts: letterheads, page headers/footers, figure labels that are not text.
* ``repeated`` — text the source prints once more than the data keeps it: a figure label
  that repeats a heading (Nordjylland's overview figure lists "Ledelse op", "Ledelse ned",
  ... before the directions themselves). The *first* occurrence is cut out of the running
  text before the checks; each entry must occur at least twice in the source.
* ``displaced`` — text the data keeps once that the extraction prints away from its place
  in the reading order, possibly more than once (a role line printed both in an overview
  figure and before its heading, figure labels, a heading printed after its text). Every
  occurrence is cut out of the running text before the sentence and order checks; each
  entry must occur in the source and appear in the data; data texts equal to an entry are
  left out of the order check.

The coverage check counts: text that occurs n times in the running text must occur at
least n times in the data (so a dropped copy of a heading that occurs twice is caught).
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from pathlib import Path

from values.choices import FrameworkKind, ItemKind, VersionStatus

REPO_ROOT = Path(__file__).resolve().parents[2]
FRAMEWORKS_DIR = REPO_ROOT / "values" / "data" / "frameworks"
QUESTIONS_FILE = REPO_ROOT / "values" / "data" / "questions.toml"
LINKS_FILE = REPO_ROOT / "values" / "data" / "links.toml"

ITEM_KINDS = set(ItemKind.values)
FRAMEWORK_KINDS = set(FrameworkKind.values)
STATUSES = set(VersionStatus.values)

# Hyphen and dash characters (incl. soft hyphen and minus) and bullet glyphs. "^" is in the
# list because the extraction of God ledelse og styring renders one figure dash as "^".
DASHES = "-\u00ad\u2010\u2011\u2012\u2013\u2014\u2015\u2212^"
BULLETS = "\u2022\u2023\u2043\u25aa\u25cf\u25e6\uf0b7"
_SKELETON_DROP = re.compile("[\\s" + re.escape(DASHES + BULLETS) + "]+")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?:])\s+|\s*[" + re.escape(BULLETS) + r"]\s*")

MIN_FRAGMENT = 3  # skeleton characters; shorter fragments ("1)", "kr") are not checked alone


def skeleton(text: str) -> str:
    """The text without whitespace, hyphens/dashes and bullets (NFC-normalised)."""
    return _SKELETON_DROP.sub("", unicodedata.normalize("NFC", text))


def normalize_space(text: str) -> str:
    """Collapse all whitespace (line breaks included) to single spaces and strip."""
    return " ".join(text.split())


def default_key(title: str) -> str:
    """The Danish slug used as an item's default key (æ→ae, ø→oe, å→aa; é→e and ü→u as the
    loader in values/datafiles.py does)."""
    text = title.lower()
    for danish, ascii_ in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), ("ü", "u")):
        text = text.replace(danish, ascii_)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def item_key(item: dict) -> str:
    return item.get("key") or default_key(item.get("title", ""))


# --------------------------------------------------------------------------- loading


def load_toml(path: str | Path) -> dict:
    with open(path, "rb") as fh:
        return tomllib.load(fh)


def framework_files() -> list[Path]:
    return sorted(FRAMEWORKS_DIR.glob("*.toml"))


def source_path(data: dict) -> Path:
    return REPO_ROOT / data["source"]


def fidelity_settings(data: dict) -> dict[str, list[str]]:
    """``ignore_lines``, ``repeated`` and ``displaced`` from a framework's ``[fidelity]`` table."""
    fidelity = data.get("fidelity", {})
    return {name: list(fidelity.get(name, [])) for name in ("ignore_lines", "repeated", "displaced")}


# --------------------------------------------------------------------------- source side


def _mend_lines(lines: list[str]) -> str:
    """Join the source lines: a word split with a hyphen at a line end ("arbejdsplad-" +
    "ser") is joined without the hyphen when a lower-case letter stands before the hyphen
    and the next line starts with a lower-case letter; real hyphens such as "MED- og" stay.
    Other lines are kept apart with a newline."""
    out = ""
    for line in lines:
        if not out:
            out = line
        elif (
            len(out) >= 2
            and out[-1] == "-"
            and out[-2].isalpha()
            and out[-2].islower()
            and line[:1].isalpha()
            and line[:1].islower()
        ):
            out = out[:-1] + line
        else:
            out += "\n" + line
    return out


def _flexible_pattern(text: str) -> re.Pattern:
    """A regex matching ``text`` with any whitespace/dash/bullet between its characters."""
    chars = skeleton(text)
    gap = "[\\s" + re.escape(DASHES + BULLETS) + "]*"
    return re.compile(gap.join(re.escape(c) for c in chars))


def remove_displaced(running_text: str, displaced=()) -> str:
    """Cut every occurrence of each displaced text out of the running text."""
    for entry in displaced:
        if skeleton(entry):
            running_text = _flexible_pattern(entry).sub("\n", running_text)
    return running_text


def remove_repeated(running_text: str, repeated=()) -> str:
    """Cut the first occurrence of each repeated text out of the running text."""
    for entry in repeated:
        if skeleton(entry):
            running_text = _flexible_pattern(entry).sub("\n", running_text, count=1)
    return running_text


def occurrences(source_text: str, entry: str) -> int:
    """How often ``entry`` occurs in ``source_text`` (whitespace/dashes ignored)."""
    return len(_flexible_pattern(entry).findall(source_text)) if skeleton(entry) else 0


def mend_source_text(raw: str, ignore_lines=(), displaced=(), repeated=()) -> str:
    """The running text of a raw extract string (see module docstring)."""
    ignore = {line.strip() for line in ignore_lines}
    lines = []
    for line in unicodedata.normalize("NFC", raw).splitlines():
        line = _SPACES.sub(" ", line).strip()
        if line and line not in ignore:
            lines.append(line)
    return remove_displaced(remove_repeated(_mend_lines(lines), repeated), displaced)


def source_running_text(path: str | Path, ignore_lines=(), displaced=(), repeated=()) -> str:
    """The running text of a source file: ignore_lines dropped, hyphen line-end splits
    joined, spaces collapsed, the first occurrence of each repeated text and every
    occurrence of each displaced text cut out; one source line per line."""
    return mend_source_text(Path(path).read_text(encoding="utf-8"), ignore_lines, displaced, repeated)


def source_sentences(running_text: str) -> list[str]:
    """Split running text into sentences at . ! ? : (followed by whitespace) and bullets.
    Line breaks inside a sentence are kept as newlines so that a sentence that is not
    found whole can be checked line by line (see missing_sentences)."""
    sentences = []
    for part in _SENTENCE_SPLIT.split(running_text):
        part = part.strip()
        if len(skeleton(part)) >= MIN_FRAGMENT:
            sentences.append(part)
    return sentences


# --------------------------------------------------------------------------- data side


def iter_items(items: list[dict], depth: int = 0):
    """Yield (item, depth) for every item of a tree, in document order."""
    for item in items:
        yield item, depth
        yield from iter_items(item.get("children", []), depth + 1)


def item_texts(items: list[dict]) -> list[str]:
    """Titles, subtitles, paragraphs, children and ``after`` paragraphs in document order."""
    texts: list[str] = []
    for item in items:
        for field in ("title", "subtitle"):
            if item.get(field):
                texts.append(item[field])
        texts.extend(item.get("paragraphs", []))
        texts.extend(item_texts(item.get("children", [])))
        texts.extend(item.get("after", []))
    return texts


def data_texts(data: dict, with_title: bool = True) -> list[str]:
    """All texts of a framework (its title first unless ``with_title`` is false)."""
    texts = [data["title"]] if with_title and data.get("title") else []
    return texts + item_texts(data.get("items", []))


# --------------------------------------------------------------------------- checks


def missing_sentences(sentences: list[str], texts: list[str]) -> list[str]:
    """Source sentences (or, for a sentence not found whole, its source lines) that the
    data lacks: text whose skeleton occurs n times in the source (the joined sentences)
    must occur at least n times in the joined skeleton of the data texts. A sentence can
    span a heading and the first words of a text, or a figure label and the text beside
    it; checking such a sentence line by line keeps the check strict for every line."""
    joined = skeleton("".join(texts))
    source = skeleton("".join(sentences))

    def lacking(sk: str) -> bool:
        return joined.count(sk) < source.count(sk)

    missing = []
    for sentence in sentences:
        if not lacking(skeleton(sentence)):
            continue
        for piece in sentence.split("\n"):
            sk = skeleton(piece)
            if len(sk) >= MIN_FRAGMENT and lacking(sk):
                missing.append(normalize_space(piece))
    return missing


def invented_texts(source_text: str, texts: list[str]) -> list[str]:
    """Data texts whose skeleton is not a contiguous part of the source's skeleton.
    ``source_text`` should be the running text *with* displaced texts (they are source)."""
    src = skeleton(source_text)
    return [text for text in texts if skeleton(text) not in src]


def out_of_order(running_text: str, texts: list[str], exempt=()) -> list[str]:
    """Data texts that are not found in the running text after the previous text (a moving
    cursor). Texts whose skeleton equals an ``exempt`` entry (the displaced texts) are
    skipped. ``running_text`` should have the displaced texts cut out."""
    src = skeleton(running_text)
    exempt_sk = {skeleton(entry) for entry in exempt}
    cursor = 0
    wrong = []
    for text in texts:
        sk = skeleton(text)
        if not sk or sk in exempt_sk:
            continue
        pos = src.find(sk, cursor)
        if pos < 0:
            wrong.append(text)
        else:
            cursor = pos + len(sk)
    return wrong


def check_framework(data: dict, raw_source: str) -> dict[str, list[str]]:
    """Run all text checks for one framework dict against its raw source text.
    Returns a dict of problem lists (all empty when the data is faithful)."""
    settings = fidelity_settings(data)
    ignore_lines, displaced, repeated = settings["ignore_lines"], settings["displaced"], settings["repeated"]
    full = mend_source_text(raw_source, ignore_lines)
    running = remove_displaced(remove_repeated(full, repeated), displaced)
    texts = data_texts(data)
    joined = skeleton("".join(texts))
    raw_lines = {_SPACES.sub(" ", line).strip() for line in unicodedata.normalize("NFC", raw_source).splitlines()}
    return {
        "missing": missing_sentences(source_sentences(running), texts),
        "invented": invented_texts(full, texts),
        "out_of_order": out_of_order(running, data_texts(data, with_title=False), exempt=displaced),
        "displaced_not_in_source": [d for d in displaced if skeleton(d) not in skeleton(full)],
        "displaced_not_in_data": [d for d in displaced if skeleton(d) not in joined],
        "repeated_not_repeated": [r for r in repeated if occurrences(full, r) < 2],
        "unused_ignore_lines": [line for line in ignore_lines if line.strip() not in raw_lines],
    }

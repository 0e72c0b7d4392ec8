"""The shipped framework data files against their sources. No database, no Django.

Run alone with:
    python -m pytest tests/values/test_data_files.py -q -p no:django -p no:cacheprovider \
        -c /dev/null --rootdir . --noconftest
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest

from tests.values.fidelity import (
    FRAMEWORK_KINDS,
    ITEM_KINDS,
    LINKS_FILE,
    QUESTIONS_FILE,
    REPO_ROOT,
    STATUSES,
    check_framework,
    data_texts,
    default_key,
    fidelity_settings,
    framework_files,
    invented_texts,
    item_key,
    iter_items,
    load_toml,
    mend_source_text,
    missing_sentences,
    out_of_order,
    remove_displaced,
    skeleton,
    source_path,
    source_running_text,
    source_sentences,
)
from values.choices import VersionStatus

FILES = framework_files()
EXPECTED_SLUGS = {
    "000_regionssekretariatet.toml": "regionssekretariatet-ledelses-og-vaerdigrundlag",
    "001_god_ledelse_og_styring.toml": "rm-god-ledelse-og-styring",
    "002_personalepolitik.toml": "rm-personalepolitik",
    "003_rn_ledelsesgrundlaget.toml": "rn-ledelsesgrundlaget",
    "004_midtjyske_ledelsesmodel.toml": "rm-viden-om-den-midtjyske-ledelsesmodel",
}
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@pytest.fixture(scope="module")
def frameworks() -> dict[str, dict]:
    return {data["slug"]: data for data in (load_toml(path) for path in FILES)}


def keys_of(data: dict) -> list[str]:
    return [item_key(item) for item, _ in iter_items(data.get("items", []))]


def themes_of(data: dict) -> list[str]:
    return [item_key(item) for item, _ in iter_items(data.get("items", [])) if item["kind"] == "theme"]


def test_the_five_files_are_there():
    assert {path.name for path in FILES} == set(EXPECTED_SLUGS)


# --------------------------------------------------------------------------- per file


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
class TestFrameworkFile:
    def test_top_level(self, path):
        data = load_toml(path)
        assert data["slug"] == EXPECTED_SLUGS[path.name]
        assert SLUG_RE.match(data["slug"])
        assert data["title"].strip()
        assert data["kind"] in FRAMEWORK_KINDS
        assert data["region"].startswith("Region ")
        assert data.get("status", VersionStatus.UDGIVET) in STATUSES
        assert source_path(data).is_file()
        for field in ("approved", "adjusted", "launched"):
            assert field not in data or isinstance(data[field], date)
        assert isinstance(data.get("position", 0), int)
        assert set(data.get("fidelity", {})) <= {"ignore_lines", "repeated", "displaced"}

    def test_items_are_well_formed(self, path):
        data = load_toml(path)
        allowed = {"kind", "title", "subtitle", "key", "paragraphs", "after", "children"}
        assert data["items"], "a framework needs items"
        for item, _ in iter_items(data["items"]):
            assert set(item) <= allowed, set(item) - allowed
            assert item["kind"] in ITEM_KINDS
            assert isinstance(item.get("title", ""), str)
            if not item.get("title"):
                assert item.get("key"), f"untitled item needs an explicit key: {item}"
            for field in ("paragraphs", "after"):
                for text in item.get(field, []):
                    assert text == text.strip() and text, repr(text)
                    assert "  " not in text, f"runs of spaces: {text!r}"
                    if "\n" in text:  # a list: every line starts with "- " or "1. "
                        assert all(re.match(r"^(- |\d+\. )", line) for line in text.split("\n")), text
            for field in ("title", "subtitle"):
                value = item.get(field, "")
                assert value == value.strip() and "\n" not in value and "  " not in value, repr(value)

    def test_keys_unique_and_slug_shaped(self, path):
        data = load_toml(path)
        keys = keys_of(data)
        duplicates = [key for key, count in Counter(keys).items() if count > 1]
        assert not duplicates, duplicates
        assert all(SLUG_RE.match(key) for key in keys), [key for key in keys if not SLUG_RE.match(key)]
        # the database column (values.models Item.key) holds 150 characters
        assert max(map(len, keys)) <= 150

    def test_every_source_sentence_is_in_the_data(self, path):
        data = load_toml(path)
        problems = check_framework(data, source_path(data).read_text(encoding="utf-8"))
        assert problems["missing"] == [], "source text missing from the data"

    def test_nothing_is_invented(self, path):
        data = load_toml(path)
        problems = check_framework(data, source_path(data).read_text(encoding="utf-8"))
        assert problems["invented"] == [], "data text not found in the source"

    def test_the_order_is_the_source_order(self, path):
        data = load_toml(path)
        problems = check_framework(data, source_path(data).read_text(encoding="utf-8"))
        assert problems["out_of_order"] == [], "data text not in source order"

    def test_fidelity_lists_are_honest(self, path):
        data = load_toml(path)
        problems = check_framework(data, source_path(data).read_text(encoding="utf-8"))
        assert problems["unused_ignore_lines"] == []
        assert problems["repeated_not_repeated"] == []
        assert problems["displaced_not_in_source"] == []
        assert problems["displaced_not_in_data"] == []

    def test_ignored_lines_are_not_running_text(self, path):
        # ignore_lines may hold artefacts only: nothing the data keeps may be dropped with them
        data = load_toml(path)
        texts = {skeleton(text) for text in data_texts(data)}
        assert not [line for line in fidelity_settings(data)["ignore_lines"] if skeleton(line) in texts]


def test_parents_resolve(frameworks):
    for data in frameworks.values():
        if data.get("parent"):
            assert data["parent"] in frameworks and data["parent"] != data["slug"]


def test_dates_as_the_sources_state_them(frameworks):
    gls = frameworks["rm-god-ledelse-og-styring"]
    assert gls["approved"] == date(2018, 6, 27) and gls["adjusted"] == date(2020, 4, 29)
    raw = source_path(gls).read_text(encoding="utf-8")
    assert "Godkendt af regionsrådet 27. juni 2018." in raw and "Justeret af regionsrådet 29. april 2020." in raw
    dated = [slug for slug, data in frameworks.items() if "approved" in data or "adjusted" in data]
    assert dated == [gls["slug"]]


# --------------------------------------------------------------------------- questions and links


def resolve(frameworks: dict[str, dict], ref: str) -> tuple[str, str]:
    slug, _, key = ref.partition(":")
    assert slug in frameworks, f"unknown framework in {ref!r}"
    assert key in keys_of(frameworks[slug]), f"unknown item key in {ref!r}"
    return slug, key


def test_questions_resolve_and_cover_every_theme(frameworks):
    questions = load_toml(QUESTIONS_FILE)["questions"]
    seen = Counter()
    for entry in questions:
        assert set(entry) == {"framework", "item", "texts"}
        resolve(frameworks, f"{entry['framework']}:{entry['item']}")
        seen[(entry["framework"], entry["item"])] += 1
        assert 2 <= len(entry["texts"]) <= 4, entry
        for text in entry["texts"]:
            assert text == text.strip() and text.endswith("?") and "  " not in text, text
        assert len(set(entry["texts"])) == len(entry["texts"])
    assert [target for target, count in seen.items() if count > 1] == []
    themes = {(slug, key) for slug, data in frameworks.items() for key in themes_of(data)}
    assert themes - set(seen) == set(), "themes without reflection questions"


def test_questions_are_not_copied_from_the_sources(frameworks):
    # the questions are the project's own text; none may be lifted from a source
    sources = {slug: skeleton(source_path(data).read_text(encoding="utf-8")) for slug, data in frameworks.items()}
    for entry in load_toml(QUESTIONS_FILE)["questions"]:
        for text in entry["texts"]:
            assert not any(skeleton(text) in src for src in sources.values()), text


def test_links_resolve(frameworks):
    links = load_toml(LINKS_FILE)["links"]
    assert len(links) >= 10
    pairs = set()
    for link in links:
        assert set(link) <= {"from", "to", "note"}
        a = resolve(frameworks, link["from"])
        b = resolve(frameworks, link["to"])
        assert a[0] != b[0], f"a link joins two different frameworks: {link}"
        assert link.get("note", "").strip()
        assert (a, b) not in pairs and (b, a) not in pairs, f"duplicate link {link}"
        pairs.add((a, b))


def test_required_links_are_there():
    links = {(link["from"], link["to"]) for link in load_toml(LINKS_FILE)["links"]}
    rs, gls, pp = "regionssekretariatet-ledelses-og-vaerdigrundlag", "rm-god-ledelse-og-styring", "rm-personalepolitik"
    required = {
        (f"{rs}:aaben-og-ligevaerdig-dialog", f"{gls}:dialog"),
        (f"{rs}:dygtighed-gennem-kvalitet-i-loesninger-samarbejde-og-hoejt-kompetenceniveau", f"{gls}:dygtighed"),
        (f"{rs}:udvikling-nytaenkning-og-rum-for-dristighed", f"{gls}:dristighed"),
        (f"{pp}:dialog", f"{gls}:dialog"),
        (f"{pp}:dygtighed", f"{gls}:dygtighed"),
        (f"{pp}:dristighed", f"{gls}:dristighed"),
    }
    assert required <= links
    from_rn = [a for a, b in links if a.startswith("rn-ledelsesgrundlaget:") and b.startswith(f"{gls}:")]
    assert 4 <= len(from_rn) <= 8


# --------------------------------------------------------------------------- the checks can fail

SYNTHETIC_SOURCE = """\
Regionshuset
Side 1
Oversigt
Dialog
Indledning
Vi har udarbejdet grundlaget i ledergruppen, og vi står på de værdier, der er beskre-
vet. Ledelse er en holdsport.

Dialog
• Gensidig tillid
• Respektfuld feedback
Vi samarbejder i MED-
og arbejdsmiljøorganisationen. Vi lytter til hinanden.
Figurtekst om dialog
"""
SYNTHETIC_IGNORE = ["Regionshuset", "Side 1"]


def synthetic_data(**changes) -> dict:
    data = {
        "title": "Oversigt",
        "fidelity": {"ignore_lines": SYNTHETIC_IGNORE, "repeated": ["Dialog"], "displaced": ["Figurtekst om dialog"]},
        "items": [
            {
                "kind": "text",
                "title": "Indledning",
                "paragraphs": [
                    (
                        "Vi har udarbejdet grundlaget i ledergruppen, og vi står på de værdier, der er beskrevet. "
                        "Ledelse er en holdsport."
                    )
                ],
            },
            {
                "kind": "theme",
                "title": "Dialog",
                "subtitle": "Figurtekst om dialog",
                "children": [
                    {"kind": "principle", "title": "Gensidig tillid"},
                    {"kind": "principle", "title": "Respektfuld feedback"},
                ],
                "after": ["Vi samarbejder i MED- og arbejdsmiljøorganisationen.", "Vi lytter til hinanden."],
            },
        ],
    }
    data.update(changes)
    return data


def test_synthetic_faithful_data_passes():
    problems = check_framework(synthetic_data(), SYNTHETIC_SOURCE)
    assert all(value == [] for value in problems.values()), problems


def test_running_text_mends_only_extraction_damage():
    text = mend_source_text(SYNTHETIC_SOURCE, SYNTHETIC_IGNORE)
    assert "Regionshuset" not in text and "Side 1" not in text
    assert "der er beskrevet." in text  # "beskre-" + "vet" joined
    assert "MED-\nog arbejdsmiljøorganisationen" in text  # a real hyphen stays
    assert "Figurtekst om dialog" not in remove_displaced(text, ["Figurtekst om dialog"])
    assert mend_source_text("en  dobbelt   afstand") == "en dobbelt afstand"


def test_an_invented_sentence_is_detected():
    data = synthetic_data()
    data["items"][0]["paragraphs"] = [data["items"][0]["paragraphs"][0] + " Vi elsker forandringer."]
    problems = check_framework(data, SYNTHETIC_SOURCE)
    assert problems["invented"] == [data["items"][0]["paragraphs"][0]]
    assert invented_texts(SYNTHETIC_SOURCE, ["Gensidig tillid", "Gensidig mistillid"]) == ["Gensidig mistillid"]


def test_a_changed_word_is_detected():
    data = synthetic_data()
    data["items"][1]["after"][1] = "Vi lytter ikke til hinanden."
    problems = check_framework(data, SYNTHETIC_SOURCE)
    assert problems["invented"] == ["Vi lytter ikke til hinanden."]
    assert problems["missing"] == ["Vi lytter til hinanden."]


def test_a_dropped_sentence_is_detected():
    data = synthetic_data()
    data["items"][0]["paragraphs"] = [
        "Vi har udarbejdet grundlaget i ledergruppen, og vi står på de værdier, der er beskrevet."
    ]
    problems = check_framework(data, SYNTHETIC_SOURCE)
    assert problems["missing"] == ["Ledelse er en holdsport."]
    assert problems["invented"] == []


def test_a_dropped_bullet_and_heading_are_detected():
    data = synthetic_data()
    data["items"][1]["children"] = data["items"][1]["children"][:1]
    assert check_framework(data, SYNTHETIC_SOURCE)["missing"] == ["Respektfuld feedback"]
    data = synthetic_data()
    data["items"][1]["title"] = ""
    data["items"][1]["key"] = "dialog"
    assert check_framework(data, SYNTHETIC_SOURCE)["missing"] == ["Dialog"]


def test_a_moved_paragraph_is_detected():
    data = synthetic_data()
    data["items"][1]["after"].reverse()
    problems = check_framework(data, SYNTHETIC_SOURCE)
    assert problems["out_of_order"] == ["Vi samarbejder i MED- og arbejdsmiljøorganisationen."]
    assert problems["missing"] == [] and problems["invented"] == []


def test_displaced_text_must_be_in_source_and_data():
    data = synthetic_data()
    data["fidelity"] = {
        "ignore_lines": SYNTHETIC_IGNORE,
        "repeated": ["Dialog"],
        "displaced": ["Figurtekst om dialog", "Ikke i kilden"],
    }
    problems = check_framework(data, SYNTHETIC_SOURCE)
    assert problems["displaced_not_in_source"] == ["Ikke i kilden"]
    data = synthetic_data()
    del data["items"][1]["subtitle"]
    assert check_framework(data, SYNTHETIC_SOURCE)["displaced_not_in_data"] == ["Figurtekst om dialog"]


def test_a_dropped_copy_of_repeated_text_is_detected():
    # "Dialog" is printed twice (overview figure + heading); repeated=["Dialog"] lets the data keep it once
    data = synthetic_data()
    data["fidelity"]["repeated"] = []
    assert set(check_framework(data, SYNTHETIC_SOURCE)["missing"]) == {"Dialog"}
    # a repeated entry that the source does not repeat is reported
    data = synthetic_data()
    data["fidelity"]["repeated"] = ["Dialog", "Indledning"]
    assert check_framework(data, SYNTHETIC_SOURCE)["repeated_not_repeated"] == ["Indledning"]


def test_text_printed_twice_must_be_kept_twice():
    source = "Formål\nSpørgsmål et?\nSvar et.\nMetode\nFormål\nSpørgsmål to?\nSvar to.\n"
    items = [
        {
            "kind": "theme",
            "title": "Formål",
            "key": "a",
            "children": [{"kind": "principle", "title": "Spørgsmål et?", "paragraphs": ["Svar et."]}],
        },
        {
            "kind": "theme",
            "title": "Metode",
            "children": [
                {
                    "kind": "theme",
                    "title": "Formål",
                    "key": "b",
                    "children": [{"kind": "principle", "title": "Spørgsmål to?", "paragraphs": ["Svar to."]}],
                }
            ],
        },
    ]
    assert all(v == [] for v in check_framework({"title": "", "items": items}, source).values())
    items[1]["children"][0]["title"] = ""
    assert check_framework({"title": "", "items": items}, source)["missing"] == ["Formål"]


def test_an_unused_ignore_line_is_reported():
    data = synthetic_data()
    data["fidelity"]["ignore_lines"] = [*SYNTHETIC_IGNORE, "Side 99"]
    assert check_framework(data, SYNTHETIC_SOURCE)["unused_ignore_lines"] == ["Side 99"]


def test_helpers_compose_for_a_database_backed_test(tmp_path):
    # the building blocks a DB-backed test uses: path in, sentences and texts out
    source = tmp_path / "source.txt"
    source.write_text(SYNTHETIC_SOURCE, encoding="utf-8")
    running = source_running_text(source, SYNTHETIC_IGNORE, ["Figurtekst om dialog"], repeated=["Dialog"])
    texts = data_texts(synthetic_data())
    assert missing_sentences(source_sentences(running), texts) == []
    assert out_of_order(running, texts[1:], exempt=["Figurtekst om dialog"]) == []
    assert missing_sentences(source_sentences(running), texts[:-1]) == ["Vi lytter til hinanden."]


def test_skeleton_and_default_key():
    assert skeleton("forandrings- og\nforundrings – parate •") == "forandringsogforundringsparate"
    assert default_key("Åben og ligeværdig dialog") == "aaben-og-ligevaerdig-dialog"
    assert default_key("Ledelse på tværs") == "ledelse-paa-tvaers"
    assert default_key("19) Hvilke materialer er der?") == "19-hvilke-materialer-er-der"
    assert REPO_ROOT.joinpath("values", "data").is_dir()

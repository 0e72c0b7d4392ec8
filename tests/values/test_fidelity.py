"""The loaded frameworks reproduce their sources: every sentence of each source's running
text is in the database, every paragraph in the database is in the source, in the
source's order. (The data files are checked the same way, without a database, in
test_data_files.py; this proves the loader keeps what the files hold.)"""

import pytest

from tests.values import fidelity
from values.models import Framework, Item

FILES = fidelity.framework_files()


def _tree_from_db(version) -> list[dict]:
    items = list(Item.objects.filter(version=version).order_by("position"))
    nodes = {
        i.pk: {
            "title": i.title,
            "subtitle": i.subtitle,
            "paragraphs": [p for p in i.body.split("\n\n") if p],
            "after": [p for p in i.after.split("\n\n") if p],
            "children": [],
        }
        for i in items
    }
    roots = []
    for i in items:
        (nodes[i.parent_id]["children"] if i.parent_id else roots).append(nodes[i.pk])
    return roots


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_the_loaded_framework_is_faithful_to_its_source(frameworks, path):
    file_data = fidelity.load_toml(path)
    framework = Framework.objects.select_related("current_version").get(slug=file_data["slug"])
    version = framework.current_version
    db_data = {
        "title": framework.title,
        "items": _tree_from_db(version),
        "fidelity": file_data.get("fidelity", {}),  # the extraction artefacts are the file's
    }
    raw_source = (fidelity.REPO_ROOT / version.source).read_text(encoding="utf-8")
    problems = fidelity.check_framework(db_data, raw_source)
    assert problems["missing"] == [], "source sentences not in the database"
    assert problems["invented"] == [], "database text not in the source"
    assert problems["out_of_order"] == [], "database text out of the source's order"


def test_all_five_sources_are_covered():
    assert len(FILES) == 5
    assert {fidelity.load_toml(p)["source"] for p in FILES} == {
        f"values/data/sources/{name}"
        for name in (
            "000_d9a4b1c237945c2b.txt",
            "001_624a907f9fae2621.txt",
            "002_26c0530b7c409f9b.txt",
            "003_d6d3aa4083e8cf32.txt",
            "004_e316c90138808a20.txt",
        )
    }

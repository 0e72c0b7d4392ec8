"""docs/architecture.md's table of apps says what each app may import; the code's imports
(outside tests and migrations) stay within it."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ["ledelse.notifications", "ledelse.invitations", "ledelse.documents", "ledelse.audit", "ledelse.concurrency"]
# `ledelse` reads ledelse/status/ in urls.py only (the front page lives there).
ONLY_FROM = {("ledelse", "ledelse.status"): {"ledelse/urls.py"}}


def _module(name: str) -> str:
    return name.strip("`/").replace("/", ".")


def _table() -> dict[str, set[str]]:
    """Each app of the table with the apps it may use."""
    allowed: dict[str, set[str]] = {}
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text[text.index("| app | holds | may use |") :].split("\n\n", 1)[0]
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not cells[0].startswith("`"):
            continue
        uses = {_module(m) for m in re.findall(r"`([a-z/]+/?)`", cells[2]) if "/" in m or m in ("ledelse",)}
        uses |= {_module(m) for m in re.findall(r"`(values|dialogues|lus)`", cells[2])}
        if "the shared mechanisms" in cells[2]:
            uses |= set(SHARED)
        allowed[_module(cells[0])] = uses
    return allowed


def _app_of(module: str, apps: list[str]) -> str | None:
    for app in sorted(apps, key=len, reverse=True):
        if module == app or module.startswith(app + "."):
            return app
    return None


def _imports() -> dict[tuple[str, str], set[str]]:
    apps = list(_table())
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for path in ROOT.glob("*/**/*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] not in ("ledelse", "values", "dialogues", "lus") or "migrations" in relative.parts:
            continue
        source = _app_of(".".join(relative.with_suffix("").parts), apps)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            else:
                continue
            for name in names:
                target = _app_of(name, apps)
                if source and target and target != source:
                    found[(source, target)].add(str(relative))
    return found


def test_the_table_names_every_app():
    assert set(_table()) == {
        "ledelse",
        "ledelse.notifications",
        "ledelse.invitations",
        "ledelse.status",
        "ledelse.documents",
        "ledelse.audit",
        "ledelse.concurrency",
        "ledelse.scale",
        "values",
        "dialogues",
        "lus",
    }


def test_every_import_between_apps_is_in_the_table():
    allowed = _table()
    wrong = []
    for (source, target), files in sorted(_imports().items()):
        if target not in allowed[source]:
            wrong.append(f"{source} imports {target} ({', '.join(sorted(files))})")
        elif (source, target) in ONLY_FROM and files - ONLY_FROM[(source, target)]:
            wrong.append(f"{source} imports {target} outside {ONLY_FROM[(source, target)]}: {sorted(files)}")
    assert not wrong, "\n".join(wrong)


def test_values_and_dialogues_do_not_read_the_apps_built_on_them():
    imports = _imports()
    # The frameworks use the organisation and the edit forms' concurrency check, nothing built on them.
    assert not [pair for pair in imports if pair[0] == "values" and pair[1] not in ("ledelse", "ledelse.concurrency")]
    assert ("dialogues", "lus") not in imports

"""List the pinned packages (requirements/*.txt) that have a newer patch release: the same
major.minor, a higher patch. Asks the package index through pip (`pip list --outdated` once,
then `pip index versions` for each candidate), so it needs the index, nothing else.

Usage: .venv/bin/python scripts/outdated.py   (make outdated)
Exit status 0 either way; the list is for whoever refreshes the lock files (make lock).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
LOCK_FILES = ("requirements/base.txt", "requirements/dev.txt")


def pins() -> dict[str, str]:
    found: dict[str, str] = {}
    for name in LOCK_FILES:
        for line in (ROOT / name).read_text().splitlines():
            m = re.match(r"^([A-Za-z0-9_.\-\[\],]+)==([^\s;#]+)", line.strip())
            if m:
                found[re.sub(r"\[.*\]", "", m.group(1)).lower()] = m.group(2)
    return found


def pip(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "pip", *args], capture_output=True, text=True, check=False, timeout=300
    )
    if result.returncode != 0:
        raise SystemExit(f"pip {' '.join(args)} failed:\n{result.stderr.strip()}")
    return result.stdout


def newest_patch(name: str, pinned: Version) -> Version | None:
    out = pip("index", "versions", name, "--disable-pip-version-check")
    m = re.search(r"Available versions:\s*(.+)", out)
    if not m:
        return None
    best = None
    for raw in m.group(1).split(","):
        try:
            v = Version(raw.strip())
        except InvalidVersion:
            continue
        if v.is_prerelease or v.release[:2] != pinned.release[:2] or v <= pinned:
            continue
        best = v if best is None or v > best else best
    return best


def main() -> int:
    pinned = pins()
    # One call finds every package with any newer release; only those are asked about.
    listed = json.loads(pip("list", "--outdated", "--format=json", "--disable-pip-version-check") or "[]")
    candidates = sorted(p["name"].lower() for p in listed if p["name"].lower() in pinned)
    rows = []
    for name in candidates:
        current = Version(pinned[name])
        patch = newest_patch(name, current)
        if patch is not None:
            rows.append((name, str(current), str(patch)))
    if not rows:
        print(f"All {len(pinned)} pinned packages are at their newest patch release.")
        return 0
    width = max(len(r[0]) for r in rows)
    print(f"{'package':<{width}}  pinned      newest patch")
    for name, current, patch in rows:
        print(f"{name:<{width}}  {current:<10}  {patch}")
    print(f"\n{len(rows)} of {len(pinned)} pinned packages have a newer patch release (refresh: make lock UPGRADE=1).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

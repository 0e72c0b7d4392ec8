"""mypy against a baseline that may only shrink (`make lint`).

scripts/mypy-baseline.txt holds today's errors, one a line as `path: [code] message`
(without line numbers, so an edit above an error does not move it). The check fails when
mypy reports an error the baseline does not have (or one more of the same), and also when
the baseline lists an error mypy no longer reports: take it out (`--update` rewrites the
file from mypy's output), so the list only ever shrinks.

    python scripts/mypy_baseline.py            # compare
    python scripts/mypy_baseline.py --update   # rewrite the baseline (only to remove lines)
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scripts" / "mypy-baseline.txt"
ERROR = re.compile(r"^(?P<path>[^:]+):\d+(?::\d+)?: error: (?P<message>.*?)\s+\[(?P<code>[a-z-]+)\]$")


def normalized(lines: list[str]) -> Counter[str]:
    """mypy's error lines as `path: [code] message`, counted."""
    found: Counter[str] = Counter()
    for line in lines:
        match = ERROR.match(line.strip())
        if match:
            found[f"{match['path']}: [{match['code']}] {match['message']}"] += 1
    return found


def run_mypy() -> tuple[Counter[str], str]:
    """mypy's errors (normalized) and its raw output (for the line numbers)."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--hide-error-context", "--no-pretty"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode not in (0, 1):  # 2: mypy itself failed (configuration, crash)
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit(2)
    return normalized(result.stdout.splitlines()), result.stdout


def read_baseline() -> Counter[str]:
    if not BASELINE.exists():
        return Counter()
    lines = [line for line in BASELINE.read_text().splitlines() if line and not line.startswith("#")]
    return Counter(lines)


def write_baseline(errors: Counter[str]) -> None:
    header = "# mypy errors accepted for now; this list may only shrink (scripts/mypy_baseline.py).\n"
    BASELINE.write_text(header + "".join(f"{line}\n" for line in sorted(errors.elements())))


def main(argv: list[str]) -> int:
    errors, output = run_mypy()
    if "--update" in argv:
        write_baseline(errors)
        print(f"mypy baseline: {sum(errors.values())} errors written to {BASELINE.relative_to(ROOT)}")
        return 0
    baseline = read_baseline()
    new = errors - baseline
    fixed = baseline - errors
    if new:
        print(f"mypy: {sum(new.values())} error(s) not in the baseline:")
        for key in sorted(new):
            path, message = key.split(": ", 1)
            _code, text = message.split("] ", 1)
            lines = [line for line in output.splitlines() if line.startswith(path + ":") and text in line]
            for line in lines or [key]:
                print(f"  {line}")
    if fixed:
        print(f"mypy: {sum(fixed.values())} baseline error(s) are fixed; remove them from the baseline:")
        for key in sorted(fixed):
            print(f"  {key}")
        print("  (python scripts/mypy_baseline.py --update)")
    if new or fixed:
        return 1
    print(f"mypy: {sum(errors.values())} errors, all in the baseline")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

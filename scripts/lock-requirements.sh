#!/usr/bin/env bash
# Regenerate the lock files from pyproject.toml, the one list of dependencies:
# requirements/base.txt pins [project].dependencies and everything they pull in;
# requirements/dev.txt pins the "dev" extra on top of base.txt. Each is resolved in a
# throwaway venv with the project's Python, so the pins are what pip really installs.
# Pins already in the lock files are kept (like pip-compile) unless --upgrade is given.
set -euo pipefail
upgrade=${1:-}
cd "$(dirname "$0")/.."
python=$(scripts/find-python.sh)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

requirements() { # [extra] -> the requirement specs from pyproject.toml, one a line
  "$python" - "$@" <<'PYEOF'
import sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
specs = project["optional-dependencies"][sys.argv[1]] if len(sys.argv) > 1 else project["dependencies"]
print("\n".join(specs))
PYEOF
}
freeze() { # venv -> sorted pins, without pip's own tools
  "$1/bin/python" -m pip freeze --exclude-editable | grep -viE '^(pip|setuptools|wheel)==' | LC_ALL=C sort -f
}
constraints=()
if [ "$upgrade" != "--upgrade" ]; then
  grep -hv '^[#-]' requirements/base.txt requirements/dev.txt >"$tmp/current.txt" || true
  constraints=(-c "$tmp/current.txt")
fi

"$python" -m venv "$tmp/base"
"$tmp/base/bin/python" -m pip install --quiet --upgrade pip
requirements >"$tmp/base.in"
"$tmp/base/bin/python" -m pip install --quiet "${constraints[@]}" -r "$tmp/base.in"
{ echo "# Runtime pins (lock file). Refresh: scripts/lock-requirements.sh"; freeze "$tmp/base"; } >requirements/base.txt

requirements dev >"$tmp/dev.in"
"$tmp/base/bin/python" -m pip install --quiet "${constraints[@]}" -r requirements/base.txt -r "$tmp/dev.in"
freeze "$tmp/base" >"$tmp/dev.all"
{
  echo "# Test and development tools on top of the runtime pins. Refresh: scripts/lock-requirements.sh"
  echo "-r base.txt"
  grep -vxiFf <(grep -v '^#' requirements/base.txt) "$tmp/dev.all"
} >requirements/dev.txt
echo "lock-requirements: wrote requirements/base.txt and requirements/dev.txt" >&2

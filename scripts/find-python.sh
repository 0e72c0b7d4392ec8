#!/usr/bin/env bash
# Print the path of a Python >= 3.12 that really runs (Django 6.1 needs it), or explain.
set -u
ok() { "$1" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for candidate in "${PYTHON:-}" python3.13 python3.12 python3; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if ok "$path"; then echo "$path"; exit 0; fi
done
# pyenv shims fail unless a version is selected, so look at pyenv's installed versions.
root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for path in $(ls -d "$root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do
  if ok "$path"; then echo "$path"; exit 0; fi
done
for path in /usr/bin/python3.13 /usr/bin/python3.12 /usr/local/bin/python3.13 /usr/local/bin/python3.12; do
  if [ -x "$path" ] && ok "$path"; then echo "$path"; exit 0; fi
done
echo "No Python 3.12 or newer found (Django 6.1 needs it)." >&2
echo "Install one (e.g. 'apt-get install python3.12 python3.12-venv' or 'pyenv install 3.12')," >&2
echo "or point to it: make PYTHON=/path/to/python3.12 ..." >&2
exit 1

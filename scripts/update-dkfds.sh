#!/usr/bin/env bash
# Refresh the vendored copy of Det Fælles Designsystem (npm package "dkfds")
# in static/vendor/dkfds/.
#
# The version is pinned in package.json (devDependencies) and package-lock.json.
# To upgrade: change the pin in package.json, run `npm install` once to update
# the lock file, then run this script and commit static/vendor/dkfds/.
# Nothing here runs at deploy or request time: the site serves the committed copy.
#
# What is copied (layout of dkfds' dist/ kept, because the CSS points at
# ../fonts/... and ../img/... with relative URLs):
#   css/dkfds.min.css (+ .map)   the neutral "dkfds" theme (not borger.dk / virk.dk)
#   js/dkfds.min.js (+ .map)     exposes window.DKFDS; static/js/app.js calls DKFDS.init()
#   img/all-svg-icons.svg        SVG sprite used as <use href=".../all-svg-icons.svg#name">
#   every file the CSS references with url(...): IBM Plex Sans woff/woff2 (plus the one
#   .eot/.ttf the regular face lists), the svg-icons/*.svg and placeholder images
#   LICENSE.md and the font licence (MIT, OFL-1.1 and Apache-2.0 parts)
# The .map files are kept because the minified files end with a sourceMappingURL
# comment and Django's ManifestStaticFilesStorage fails on references to missing files.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

theme_css="dkfds.min.css"
dest="static/vendor/dkfds"

command -v npm >/dev/null || { echo "update-dkfds: npm is not installed" >&2; exit 1; }
command -v node >/dev/null || { echo "update-dkfds: node is not installed" >&2; exit 1; }

if [[ -f package-lock.json ]]; then
    npm ci --no-audit --no-fund
else
    npm install --no-audit --no-fund
fi

src="node_modules/dkfds/dist"
[[ -d "$src" ]] || { echo "update-dkfds: $src not found after npm install" >&2; exit 1; }

wanted="$(node -p "require('./package.json').devDependencies.dkfds")"
installed="$(node -p "require('./node_modules/dkfds/package.json').version")"
if [[ "$wanted" != "$installed" ]]; then
    echo "update-dkfds: package.json pins dkfds $wanted but $installed is installed" >&2
    exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
out="$tmp/dkfds"
mkdir -p "$out/css" "$out/js" "$out/img" "$out/fonts"

copy() {  # copy dist-relative path $1 into $out, keeping its folders
    local rel="$1"
    if [[ ! -f "$src/$rel" ]]; then
        echo "update-dkfds: $src/$rel is missing (referenced by the CSS?)" >&2
        exit 1
    fi
    mkdir -p "$out/$(dirname "$rel")"
    cp "$src/$rel" "$out/$rel"
}

copy "css/$theme_css"
copy "css/$theme_css.map"
copy "js/dkfds.min.js"
copy "js/dkfds.min.js.map"
copy "img/all-svg-icons.svg"
copy "LICENSE.md"

# Every url(...) in the theme CSS, resolved relative to css/.
refs="$(grep -o 'url([^)]*)' "$src/css/$theme_css" \
    | sed -E 's/^url\(["'\'']?//; s/["'\'']?\)$//; s/[?#].*$//' \
    | grep -v '^data:' | sort -u)"
count=0
while IFS= read -r ref; do
    [[ -n "$ref" ]] || continue
    case "$ref" in
        ../*) rel="${ref#../}" ;;
        *) echo "update-dkfds: unexpected url($ref) in $theme_css" >&2; exit 1 ;;
    esac
    copy "$rel"
    count=$((count + 1))
done <<< "$refs"

# Font licence next to the fonts.
font_licence="$(find "$src/fonts" -name 'license.txt' | head -n 1)"
if [[ -n "$font_licence" ]]; then
    cp "$font_licence" "$out/fonts/IBMPlexSans/LICENSE-OFL.txt"
fi

cat > "$out/VERSION" <<VERSION_EOF
dkfds $installed (npm), copied by scripts/update-dkfds.sh
theme: css/$theme_css
VERSION_EOF

rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
cp -R "$out" "$dest"

echo "update-dkfds: dkfds $installed -> $dest ($count files referenced by the CSS, $(du -sh "$dest" | cut -f1) in total)"

#!/usr/bin/env bash
# Refresh the vendored axe-core (pinned in package.json) that the accessibility tests
# inject into pages: tests/browser/vendor/axe.min.js. Nothing at run time uses it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
npm install --no-audit --no-fund
mkdir -p tests/browser/vendor
cp node_modules/axe-core/axe.min.js node_modules/axe-core/LICENSE tests/browser/vendor/
echo "axe-core $(node -p "require('./node_modules/axe-core/package.json').version") copied to tests/browser/vendor/"

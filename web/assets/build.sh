#!/usr/bin/env bash
# Builds the portal's embedded assets from npm packages, at build time only (make portal-assets):
#   govuk-frontend 6.6.0 (MIT) → ../internal/assets/static/: portal.css (compiled with sass from portal.scss)
#   and govuk-frontend.min.js; axe-core 4.14.1 (MPL-2.0) → ../../tests/browser/axe/axe.min.js for the browser
#   tests. The output is committed so that `go build` works offline and without npm.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp package.json "$work/"
(cd "$work" && npm install --silent --no-audit --no-fund)
static=../internal/assets/static
gf="$work/node_modules/govuk-frontend"
"$work/node_modules/.bin/sass" --no-source-map --style=compressed --load-path="$work/node_modules" \
  portal.scss "$static/portal.css"
cp "$gf/dist/govuk/govuk-frontend.min.js" "$static/govuk-frontend.min.js"
# The npm package ships no licence file; its README says MIT ("Unless stated otherwise, the codebase is
# released under the MIT License"): LICENSE-govuk-frontend.txt is kept in git beside the output.
mkdir -p ../../tests/browser/axe
cp "$work/node_modules/axe-core/axe.min.js" ../../tests/browser/axe/axe.min.js
cp "$work/node_modules/axe-core/LICENSE" ../../tests/browser/axe/LICENSE
echo "built: $(cd "$static" && ls -l portal.css govuk-frontend.min.js | awk '{print $5, $9}' | tr '\n' ' ')"

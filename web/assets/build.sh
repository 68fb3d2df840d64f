#!/usr/bin/env bash
# Builds the portal's embedded assets from npm packages, at build time only (make portal-assets):
#   govuk-frontend 6.6.0 (MIT) → ../internal/assets/static/: portal.css (compiled with sass from portal.scss)
#   and govuk-frontend.min.js; bpmn-js 18.31.1 (bpmn.io licence) bundled with esbuild from bpmn-viewer.js →
#   bpmn-viewer.min.js and bpmn-viewer.css (the workflow dashboard's diagram); axe-core 4.14.1 (MPL-2.0) → ../../tests/browser/axe/axe.min.js for the browser
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
NODE_PATH="$work/node_modules" "$work/node_modules/.bin/esbuild" bpmn-viewer.js --bundle --minify --format=iife --target=es2020 \
  --legal-comments=none --outfile="$static/bpmn-viewer.min.js"
cat "$work/node_modules/diagram-js/assets/diagram-js.css" "$work/node_modules/bpmn-js/dist/assets/bpmn-js.css" \
  > "$static/bpmn-viewer.css"
cp "$work/node_modules/bpmn-js/LICENSE" "$static/LICENSE-bpmn-js.txt"
# The npm package ships no licence file; its README says MIT ("Unless stated otherwise, the codebase is
# released under the MIT License"): LICENSE-govuk-frontend.txt is kept in git beside the output.
mkdir -p ../../tests/browser/axe
cp "$work/node_modules/axe-core/axe.min.js" ../../tests/browser/axe/axe.min.js
cp "$work/node_modules/axe-core/LICENSE" ../../tests/browser/axe/LICENSE
echo "built: $(cd "$static" && ls -l portal.css govuk-frontend.min.js bpmn-viewer.min.js bpmn-viewer.css | awk '{print $5, $9}' | tr '\n' ' ')"

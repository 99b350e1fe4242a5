#!/usr/bin/env bash
# Renders a Lethe report page in headless Chromium and saves a PNG, to check the HTML in a
# real browser: tools/screenshot-report.sh REPORT.html [OUT.png] [WIDTHxHEIGHT]
# Defaults: OUT = REPORT.png beside the page, 1200x2400. Needs chromium (apt-get install -y chromium).
set -euo pipefail
if [[ $# -lt 1 || ! -f "$1" ]]; then
  echo "usage: $0 REPORT.html [OUT.png] [WIDTHxHEIGHT]" >&2
  exit 2
fi
page=$(realpath "$1")
out=${2:-${page%.html}.png}
size=${3:-1200x2400}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [[ -z "$browser" ]]; then
  echo "no chromium found; install it with: apt-get install -y chromium" >&2
  exit 1
fi
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync \
  --no-first-run --hide-scrollbars --user-data-dir="$profile" --screenshot="$(realpath -m "$out")" --window-size="${size/x/,}" \
  "file://$page" 2>/dev/null
echo "$out"

#!/usr/bin/env bash
# Regenerate docs/report.png, the README's picture of the demo's HTML report:
#   reports/screenshot.sh [PYTHON]
# PYTHON is the interpreter with the package installed (default: .venv/bin/python,
# else python3). Needs Debian's chromium (see .ci/run). The window size is fixed, so
# the picture only changes when the report does.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-$([ -x .venv/bin/python ] && echo .venv/bin/python || echo python3)}
chromium=$(command -v chromium || command -v chromium-browser || command -v google-chrome)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$python" -m partnership_health.cli demo --output "$work/report.html" >/dev/null
mkdir -p docs
"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --hide-scrollbars --force-device-scale-factor=1 \
    --window-size=1200,1650 --screenshot="$work/report.png" "file://$work/report.html" >/dev/null 2>&1
mv "$work/report.png" docs/report.png
echo "wrote docs/report.png"

#!/usr/bin/env bash
# Offline demo: crawl the bundled snapshot site (served on 127.0.0.1) with the iribnews
# spider and write JSON Lines, reports and the demo's own crawl state under demo/, never into
# the live corpus's data/. Arguments go to `python -m snapshot.crawl` (--help).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
python -m snapshot.crawl "$@"

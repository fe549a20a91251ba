#!/usr/bin/env bash
# Offline demo: crawl the bundled snapshot site (served on 127.0.0.1) with the iribnews
# spider and write JSON Lines under data/iribnews/.
source "$(dirname "$0")/env.sh"
python -m snapshot.crawl "$@"

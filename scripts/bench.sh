#!/usr/bin/env bash
# Run one benchmark script: ./scripts/bench.sh extraction (see benchmarks/README.md). Its table
# goes to benchmarks/runs/NAME.txt (untracked); ./scripts/bench.sh publish NAME makes it the
# published result, benchmarks/results/NAME.txt.
# Benchmarks get their own environment, .venv-bench, since the tools they compare against
# (trafilatura, news-please) bring dependencies the crawler does not need.
set -euo pipefail
cd "$(dirname "$0")/.."
NEWSBOT_VENV=.venv-bench NEWSBOT_EXTRAS=test,bench source scripts/env.sh
name=${1:?usage: scripts/bench.sh NAME [ARGS...] (a file in benchmarks/, without .py)}
shift
python -m "benchmarks.$name" "$@"

#!/usr/bin/env bash
# Run one benchmark script: ./scripts/bench.sh extraction (see benchmarks/README.md).
# Benchmarks get their own environment, .venv-bench, since the tools they compare against
# (trafilatura, news-please) bring dependencies the crawler does not need.
NEWSBOT_VENV=.venv-bench NEWSBOT_EXTRAS=test,bench source "$(dirname "$0")/env.sh"
name=${1:?usage: scripts/bench.sh NAME [ARGS...] (a file in benchmarks/, without .py)}
shift
python -m "benchmarks.$name" "$@"

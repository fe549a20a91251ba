#!/usr/bin/env bash
# The whole test suite: lint, format, types, then every test. Extra arguments go to pytest.
source "$(dirname "$0")/env.sh"
ruff check .
ruff format --check .
mypy
python -m pytest "$@"

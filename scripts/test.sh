#!/usr/bin/env bash
# The whole test suite: lint, format, types, the import contracts (lint-imports, configured in
# pyproject.toml), then every test. Extra arguments go to pytest.
# As root (CI, containers) it first installs the real services the integration tests start
# (Redis, Splash; scripts/install-services.sh); elsewhere those tests skip with the reason
# unless the services were installed beforehand.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
if [ "$(id -u)" = 0 ]; then
    ./scripts/install-services.sh
fi
ruff check .
ruff format --check .
mypy
lint-imports
python -m pytest "$@"

# Sourced by the other scripts: makes a virtual environment with newsbot installed (editable)
# and puts it first on PATH. NEWSBOT_VENV (default .venv) and NEWSBOT_EXTRAS (default test)
# choose which; it re-installs only when pyproject.toml changed, so repeated runs start fast.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
venv=${NEWSBOT_VENV:-.venv}
extras=${NEWSBOT_EXTRAS:-test}
if [ ! -x "$venv/bin/python" ]; then
    "$PYTHON" -m venv "$venv"
    # The pip that venv bundles can be old; pip 23's resolver fails on news-please's lxml extras.
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
fi
stamp="$venv/.newsbot-installed"
wanted="$extras $(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[$extras]"
    echo "$wanted" > "$stamp"
fi
export PATH="$PWD/$venv/bin:$PATH"

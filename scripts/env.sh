# Sourced by the other scripts, and safe to source in an interactive shell: makes a virtual
# environment with newsbot installed (editable) and puts it first on PATH; it changes neither
# the shell's directory nor its options. NEWSBOT_VENV (default .venv, relative to the
# repository) and NEWSBOT_EXTRAS (default test) choose which; it re-installs only when
# pyproject.toml changed, so repeated runs start fast.
_newsbot_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
_newsbot_venv=${NEWSBOT_VENV:-.venv}
case $_newsbot_venv in
    /*) ;;
    *) _newsbot_venv=$_newsbot_root/$_newsbot_venv ;;
esac
# The set-up runs in a subshell: its strict options and its `cd` stay there. (Not as an `if`
# condition, where bash would ignore its `set -e`.)
(
    set -euo pipefail
    cd "$_newsbot_root"
    extras=${NEWSBOT_EXTRAS:-test}
    if [ ! -x "$_newsbot_venv/bin/python" ]; then
        "${PYTHON:-python3}" -m venv "$_newsbot_venv"
        # The pip that venv bundles can be old; pip 23's resolver fails on news-please's lxml extras.
        "$_newsbot_venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
    fi
    stamp="$_newsbot_venv/.newsbot-installed"
    wanted="$extras $(sha256sum pyproject.toml | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
        "$_newsbot_venv/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[$extras]"
        echo "$wanted" > "$stamp"
    fi
)
_newsbot_status=$?
if [ "$_newsbot_status" = 0 ]; then
    case ":$PATH:" in
        *":$_newsbot_venv/bin:"*) ;;
        *) export PATH="$_newsbot_venv/bin:$PATH" ;;
    esac
    unset _newsbot_root _newsbot_venv _newsbot_status
else
    echo "scripts/env.sh: could not set up $_newsbot_venv (see the errors above)" >&2
    unset _newsbot_root _newsbot_venv _newsbot_status
    return 1 2>/dev/null || exit 1
fi

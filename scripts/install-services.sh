#!/usr/bin/env bash
# Installs the real services the integration tests run against (they start and stop them
# themselves, on free loopback ports): Redis from Debian, and Splash 3.5 from PyPI on Debian's
# PyQt5/QtWebKit in its own environment .venv-splash (no Docker; see README "Operations"); and
# Debian's Chromium, with a font that has Persian letters, which opens `newsbot report`'s page.
# Needs root for apt-get; does nothing that is already done.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(redis-server python3-venv python3-pyqt5 python3-pyqt5.qtwebkit
          python3-pyqt5.qtwebengine python3-lupa xvfb chromium fonts-dejavu-core)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Splash must run on Debian's python3 (which sees the apt PyQt5), not on a pyenv one.
if [ ! -x .venv-splash/bin/python ] || ! .venv-splash/bin/python -c "import splash" 2>/dev/null; then
    rm -rf .venv-splash
    /usr/bin/python3 -m venv --system-site-packages .venv-splash
    # Pinned to the set verified to work with Splash 3.5 here. lupa comes from Debian (LuaJIT):
    # PyPI's lupa wheels bundle Lua 5.4+, under which every /execute fails.
    .venv-splash/bin/pip install --quiet --disable-pip-version-check \
        splash==3.5 'Twisted[http2]==26.10.0' qt5reactor==0.6.3 psutil==7.2.2 adblockparser==0.7 \
        xvfbwrapper==0.2.37 funcparserlib==1.0.1 Pillow==13.0.0 attrs==26.1.0
    # Splash 3.5 predates Python 3.9 and PyQt5 5.15: json.loads lost its encoding argument,
    # and QTimer.start wants an int.
    site=$(.venv-splash/bin/python -c "import splash, os; print(os.path.dirname(splash.__file__))")
    sed -i "s/json.loads(content, encoding='utf8')/json.loads(content)/" "$site/render_options.py"
    sed -i -E 's/\.start\((time_ms|timeout \* 1000|timeout_ms)\)/.start(int(\1))/' \
        "$site/browser_tab.py" "$site/network_manager.py"
fi
echo "services installed: redis-server $(redis-server --version | awk '{print $3}'), splash in .venv-splash, $(chromium --version)"

"""Real services for the integration tests (Redis, Splash, Scrapyd), each started on a free
loopback port in a temporary directory and stopped when the test is done. Nothing is mocked.

A service that is not installed makes its tests skip with the reason, on a developer's machine;
under CI (.ci/run sets NEWSBOT_REQUIRE_SERVICES=1 after scripts/install-services.sh) it fails
them instead, so a missing service can never pass as green.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
SPLASH_PYTHON = PROJECT_DIR / ".venv-splash" / "bin" / "python"


def unavailable(reason: str) -> NoReturn:
    if os.environ.get("NEWSBOT_REQUIRE_SERVICES"):
        pytest.fail(f"required service unavailable: {reason}")
    pytest.skip(f"{reason} (run scripts/install-services.sh)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(ready: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.1)
    raise TimeoutError(f"{what} not ready after {timeout} s")


def answers_http(url: str) -> Callable[[], bool]:
    def ready() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return True
        except OSError:
            return False

    return ready


def answers_tcp(port: int) -> Callable[[], bool]:
    def ready() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            return False

    return ready


@contextmanager
def running(
    command: list[str], ready: Callable[[], bool], what: str, **popen: object
) -> Iterator[None]:
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, **popen
    )  # type: ignore[call-overload]
    try:
        wait_until(lambda: process.poll() is None and ready(), what)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def redis_server(directory: Path) -> Iterator[str]:
    """A Redis server of Debian's redis-server; yields its URL, redis://127.0.0.1:PORT/0."""
    binary = shutil.which("redis-server")
    if binary is None:
        unavailable("redis-server is not installed")
    port = free_port()

    def ready() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    command = [
        binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(directory),
        "--save", "", "--appendonly", "no", "--protected-mode", "yes",
    ]  # fmt: skip
    with running(command, ready, "redis-server"):
        yield f"redis://127.0.0.1:{port}/0"


@contextmanager
def splash_server() -> Iterator[str]:
    """Splash 3.5 from .venv-splash (scripts/install-services.sh); yields its base URL."""
    if not SPLASH_PYTHON.exists():
        unavailable(f"Splash is not installed in {SPLASH_PYTHON.parent.parent}")
    port = free_port()
    command = [str(SPLASH_PYTHON), "-m", "splash.server", "--ip", "127.0.0.1", "--port", str(port)]
    # QtWebEngine refuses to start its sandbox as root; Splash starts its own Xvfb.
    env = {**os.environ, "QTWEBENGINE_DISABLE_SANDBOX": "1"}
    url = f"http://127.0.0.1:{port}"
    with running(command, answers_http(f"{url}/_ping"), "Splash", env=env):
        yield url


@contextmanager
def scrapyd_server(directory: Path, username: str, password: str) -> Iterator[str]:
    """Scrapyd (installed with newsbot's test extra) with a config of its own, bound to
    127.0.0.1 and requiring HTTP basic authentication; yields its URL."""
    port = free_port()
    for name in ("eggs", "logs", "items", "dbs"):
        (directory / name).mkdir(parents=True, exist_ok=True)
    (directory / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\n"
        f"eggs_dir = {directory / 'eggs'}\nlogs_dir = {directory / 'logs'}\n"
        f"items_dir = {directory / 'items'}\ndbs_dir = {directory / 'dbs'}\n"
        f"username = {username}\npassword = {password}\n"
        "max_proc = 2\npoll_interval = 0.5\n",
        encoding="utf-8",
    )
    url = f"http://127.0.0.1:{port}"
    with running(
        [sys.executable, "-m", "scrapyd"],
        answers_tcp(port),  # any request without credentials gets 401
        "Scrapyd",
        cwd=directory,
    ):
        yield url

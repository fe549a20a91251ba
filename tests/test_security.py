"""Security: what spider arguments can make a crawl do, what the repository holds, and where the
documented services listen.

- Spider arguments cannot make a crawl write outside its data dir or fetch another host:
  `base_url` is the only way to change the host, and it is validated; every other argument is
  checked, and an unknown one (`-a name=../..`, which Scrapy would set as the spider's name and
  with it the folder its feeds go to) is refused. All before any request: exit status 2.
- Redirects never take the crawl off its hosts (also end to end in test_faults.py).
- No credential is in the repository's files, and the project reads none from them.
- The Scrapyd, Redis and Splash set-ups of the docs and of the test services listen on
  127.0.0.1, unless the docs say why not.
"""

from __future__ import annotations

import configparser
import ipaddress
import re
import subprocess
from collections.abc import Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from newsbot import settings as project_settings
from newsbot.crawl import config
from newsbot.crawl.arguments import SpiderArgumentError
from newsbot.crawl.downloads import MetaRefreshMiddleware, RedirectMiddleware
from newsbot.crawl.spider import NewsSiteSpider
from newsbot.spiders.iribnews import IribnewsSpider
from snapshot.crawl import PROJECT_DIR, crawl_command
from tests.faultserver import FaultServer

# --- spider arguments --------------------------------------------------------------------------

BAD_BASE_URLS = [
    "file:///etc/passwd",
    "ftp://127.0.0.1/",
    "gopher://127.0.0.1:70/",
    "javascript:alert(1)",
    "//evil.example",
    "evil.example",
    "http://",
    "http://user:pass@127.0.0.1:8000",
    "http://evil.example@127.0.0.1",
    "http://evil.example\\@127.0.0.1",
    "http://127.0.0.1:8000/fa/news/1",
    "http://127.0.0.1:8000/../../etc",
    "http://127.0.0.1:8000?url=http://evil.example",
    "http://127.0.0.1:8000#x",
    "http://127.0.0.1:99999",
    "http://127.0.0.1:port",
    "http://127.0.0.1:",
    "http://evil example",
    "http://evil.example%2f.iribnews.ir",
]


@pytest.mark.parametrize("base_url", BAD_BASE_URLS)
def test_a_base_url_that_is_not_just_scheme_host_and_port_is_refused(base_url: str) -> None:
    with pytest.raises(SpiderArgumentError, match="base_url"):
        IribnewsSpider(base_url=base_url)


BAD_ARGUMENTS: list[dict[str, str]] = [
    {"feeds": "http://evil.example/rss"},
    {"feeds": "//evil.example/rss"},
    {"feeds": "https://www.iribnews.ir/fa/rss/allnews"},
    {"feeds": "fa/rss/allnews"},
    {"feeds": "/fa/rss/allnews,evil.example"},
    {"sources": "front,file"},
    {"sources": "archive"},
    {"since": "../../etc"},
    {"since": "1402-03-01", "until": "/tmp/x"},
    {"refresh_hours": "nan"},
    {"refresh_hours": "-1"},
    {"provinces": "../x"},
    # Not arguments at all: Scrapy would set each as an attribute of the spider.
    {"name": "../../../tmp/escaped"},
    {"allowed_domains": "evil.example"},
    {"start_urls": "http://evil.example/"},
    {"profile": "x"},
    {"scope": "x"},
    {"custom_settings": "x"},
    {"http_user": "x", "http_pass": "y"},
    {"download_maxsize": "0"},
    {"handle_httpstatus_all": "1"},
]


@pytest.mark.parametrize("arguments", BAD_ARGUMENTS, ids=lambda a: ",".join(a))
def test_arguments_that_could_leave_the_site_or_the_data_dir_are_refused(
    arguments: dict[str, str],
) -> None:
    with pytest.raises(SpiderArgumentError):
        IribnewsSpider(**arguments)


def test_scrapyd_s_job_argument_is_accepted() -> None:
    assert IribnewsSpider(_job="6487ec79947edab326d6db28a2d86511").name == "iribnews"


def _start_requests(spider: NewsSiteSpider) -> list[Request]:
    """spider.start() driven by hand: it awaits nothing."""
    requests = []
    agen = spider.start()
    while True:
        step: Coroutine[Any, Any, Request] = agen.__anext__()  # type: ignore[assignment]
        try:
            step.send(None)
        except StopIteration as done:
            requests.append(done.value)
        except StopAsyncIteration:
            return requests


@pytest.mark.parametrize(
    "feed",
    [
        "/@evil.example/rss",
        "/\\evil.example/rss",
        "/\\\\evil.example",
        "/%2F%2Fevil.example",
        "/../../etc/passwd",
        "/\t/evil.example",
        "/:@evil.example",
    ],
)
@pytest.mark.parametrize("base_url", [None, "http://127.0.0.1:8000"])
def test_a_feed_path_stays_on_the_site(feed: str, base_url: str | None) -> None:
    crawler = get_crawler(IribnewsSpider)
    spider = IribnewsSpider.from_crawler(crawler, sources="rss", feeds=feed, base_url=base_url)
    [request] = _start_requests(spider)
    host = urlsplit(request.url).netloc
    assert host == ("127.0.0.1:8000" if base_url else "www.iribnews.ir")


def test_without_base_url_every_start_request_is_on_the_site_s_hosts() -> None:
    spider = IribnewsSpider.from_crawler(get_crawler(IribnewsSpider))
    for request in _start_requests(spider):
        assert urlsplit(request.url).hostname in IribnewsSpider.profile.hosts


def _crawl(arguments: dict[str, str], data_dir: Path, server: FaultServer) -> int:
    command = crawl_command(server.base_url, data_dir)
    for name, value in arguments.items():
        command += ["-a", f"{name}={value}"]
    done = subprocess.run(
        command, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120, check=False
    )
    assert "scrapy crawl: error:" in done.stderr, done.stderr[-2000:]
    return done.returncode


@pytest.mark.e2e
def test_a_refused_argument_ends_the_crawl_before_anything_is_fetched_or_written(
    tmp_path: Path,
) -> None:
    work = tmp_path / "work"
    data_dir = work / "data"
    data_dir.mkdir(parents=True)
    with FaultServer() as server:
        for arguments in ({"name": "../escaped"}, {"feeds": "http://evil.example/rss"}):
            assert _crawl(arguments, data_dir, server) == 2
        # base_url comes last on the command line, so it wins over the server's.
        assert _crawl({"base_url": "file:///etc/passwd"}, data_dir, server) == 2
        assert server.requests == []
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


# --- redirects ---------------------------------------------------------------------------------


def _redirect(spider: NewsSiteSpider, source: str, location: str) -> Request | Response:
    crawler = get_crawler(IribnewsSpider)
    middleware = RedirectMiddleware.from_crawler(crawler)
    response = Response(source, status=302, headers={"Location": location})
    return middleware.process_response(Request(source), response, spider)


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://127.0.0.1/admin",
        "http://localhost:6800/",
        "http://10.0.0.5:6379/",
        "https://evil.example/fa/news/1",
        "https://www.iribnews.ir.evil.example/fa/news/1",
        "https://en.iribnews.ir/fa/news/1",
    ],
)
def test_a_live_crawl_never_follows_a_redirect_off_the_site(location: str) -> None:
    spider = IribnewsSpider()
    with pytest.raises(IgnoreRequest, match="offsite redirect"):
        _redirect(spider, "https://www.iribnews.ir/fa/news/1", location)


def test_a_live_crawl_follows_a_redirect_between_the_site_s_hosts() -> None:
    spider = IribnewsSpider()
    followed = _redirect(
        spider, "http://iribnews.ir/fa/news/1", "https://www.iribnews.ir/fa/news/1"
    )
    assert isinstance(followed, Request)
    assert followed.url == "https://www.iribnews.ir/fa/news/1"
    assert followed.dont_filter  # the same article: the duplicate filter must let it through


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.1:8001/fa/news/1",
        "https://127.0.0.1:8000/fa/news/1",
        "http://127.0.0.2:8000/",
    ],
)
def test_a_mirror_crawl_stays_on_the_mirror_s_port_and_scheme(location: str) -> None:
    spider = IribnewsSpider(base_url="http://127.0.0.1:8000")
    with pytest.raises(IgnoreRequest, match="offsite redirect"):
        _redirect(spider, "http://127.0.0.1:8000/fa/news/1", location)


def test_a_meta_refresh_off_the_site_is_not_followed() -> None:
    spider = IribnewsSpider(base_url="http://127.0.0.1:8000")
    middleware = MetaRefreshMiddleware.from_crawler(get_crawler(IribnewsSpider))
    page = b'<html><head><meta http-equiv="refresh" content="0;url=http://169.254.169.254/">'
    url = "http://127.0.0.1:8000/fa/news/1"
    response = HtmlResponse(url, body=page + b"</head><body></body></html>")
    with pytest.raises(IgnoreRequest, match="offsite redirect"):
        middleware.process_response(Request(url), response, spider)


def test_the_project_uses_the_scoped_redirect_middlewares() -> None:
    middlewares = project_settings.DOWNLOADER_MIDDLEWARES
    assert middlewares["scrapy.downloadermiddlewares.redirect.RedirectMiddleware"] is None
    assert middlewares["scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware"] is None
    assert middlewares["newsbot.crawl.downloads.RedirectMiddleware"] == 600
    assert middlewares["newsbot.crawl.downloads.MetaRefreshMiddleware"] == 580


# --- credentials -------------------------------------------------------------------------------


def _repository_files() -> list[Path]:
    """Tracked files, and new ones not ignored (so an uncommitted secret is caught too)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=PROJECT_DIR, capture_output=True, check=True,
        ).stdout  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    paths = [PROJECT_DIR / name for name in listed.decode().split("\0") if name]
    return [path for path in paths if path.is_file()]


_KEYS_AND_TOKENS = re.compile(
    r"-----BEGIN (?:[A-Z]+ )*PRIVATE KEY-----"
    r"|\bAKIA[0-9A-Z]{16}\b"  # AWS access key id
    r"|\bgh[pousr]_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{40,}"
    r"|\bxox[abposr]-[A-Za-z0-9-]{10,}"  # Slack
    r"|\bsk-[A-Za-z0-9_-]{32,}"  # OpenAI-style API keys
    r"|\bAIza[0-9A-Za-z_-]{35}\b"  # Google API key
)
# `password = value` in configuration, `password="value"` in code.
_ASSIGNED = re.compile(
    r"(?im)^[^#\n]*?\b[\w.-]*(?:password|passwd|secret|api[_-]?key|access[_-]?key|token)\b"
    r"\s*[:=]\s*(?P<value>[^\s#,)]+)"
)
# scheme://user:password@host
_URL_CREDENTIALS = re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@'\"]*:(?P<value>[^/\s@'\"]+)@")
# What is not a secret: an environment variable or command substitution, a <placeholder>, the
# word itself (`redis://[:password@]host`), an empty string; in code, anything but a string
# literal (a name, a call).
_NOT_A_SECRET = re.compile(
    r"""^['"]?(?:\$|<|\{|['"]?$|(?i:password|passwd|pass|secret|token|x+|\*+)['"]?$)"""
)
_LITERAL = re.compile(r"""^['"]""")
_SECRET_FILE_NAMES = re.compile(
    r"(?:^|/)(?:\.env(?:\..+)?|\.netrc|\.pypirc|id_(?:rsa|dsa|ecdsa|ed25519)|.+\.(?:pem|key|p12|pfx))$"
)
_BINARY = {".png", ".jpg", ".jpeg", ".gif", ".ico", ".gz", ".zip", ".sqlite3", ".whl"}


def _secret_values(text: str, *, code: bool = False) -> list[str]:
    found = [match[0] for match in _KEYS_AND_TOKENS.finditer(text)]
    for pattern in (_ASSIGNED, _URL_CREDENTIALS):
        for match in pattern.finditer(text):
            value = match["value"]
            if _NOT_A_SECRET.match(value) or (code and not _LITERAL.match(value)):
                continue
            if not (pattern is _URL_CREDENTIALS and code and not _LITERAL.match(value)):
                found.append(match[0].strip())
    return found


def test_the_credential_patterns_find_credentials() -> None:
    assert _secret_values("password = hunter2\n")
    assert _secret_values('SCRAPYD_PASSWORD = "s3cr3t-value"\n')
    assert _secret_values("url = https://admin:hunter2@scrapyd.example.org:6800/\n")
    assert _secret_values("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    assert _secret_values("aws = AKIAABCDEFGHIJKLMNOP\n")
    assert not _secret_values("password = ${SCRAPYD_PASSWORD}\n")
    assert not _secret_values('export REDIS_URL="redis://:$(cat /etc/newsbot/pw)@10.0.0.5:6379/0"')
    assert not _secret_values("requirepass <a long random secret>\n")
    assert not _secret_values("token = request.meta.pop(_INFLIGHT, None)\n", code=True)
    assert _secret_values('API_KEY = "0123456789abcdef"\n', code=True)


def test_no_credential_is_in_the_repository() -> None:
    found: list[str] = []
    for path in _repository_files():
        relative = path.relative_to(PROJECT_DIR).as_posix()
        if _SECRET_FILE_NAMES.search(relative):
            found.append(f"{relative}: a file of secrets")
        if path.suffix in _BINARY or relative == "tests/test_security.py":
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        # Tests may use dummy credentials for services they start themselves on 127.0.0.1 or
        # never contact; keys and provider tokens are refused everywhere.
        values = (
            [m[0] for m in _KEYS_AND_TOKENS.finditer(text)]
            if relative.startswith("tests/")
            else _secret_values(text, code=path.suffix == ".py")
        )
        found += [f"{relative}: {value}" for value in values]
    assert found == []


def test_scrapy_cfg_takes_deploy_credentials_from_the_environment_only() -> None:
    config = configparser.ConfigParser(interpolation=None)
    config.read(PROJECT_DIR / "scrapy.cfg", encoding="utf-8")
    for section in config.sections():
        for key in ("username", "password"):
            value = config[section].get(key)
            assert value is None or re.fullmatch(r"\$\{\w+\}", value), (section, key)
        url = config[section].get("url")
        if url is not None and not url.startswith("${"):
            assert _is_loopback(urlsplit(url).hostname or ""), (section, url)


def test_the_project_reads_no_secret_file() -> None:
    code = [
        path
        for path in _repository_files()
        if path.suffix in (".py", ".sh") and path.relative_to(PROJECT_DIR).parts[0] != "tests"
    ]
    for path in code:
        text = path.read_text(encoding="utf-8")
        assert not re.search(
            r"dotenv|\.netrc|['\"]\.env['\"]|secrets\.(?:json|ya?ml|toml)", text
        ), path


# --- where services listen ---------------------------------------------------------------------


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _code_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```[^\n]*\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL)


def _docs() -> list[tuple[str, str]]:
    return [
        (path.relative_to(PROJECT_DIR).as_posix(), block)
        for path in _repository_files()
        if path.suffix == ".md"
        for block in _code_blocks(path.read_text(encoding="utf-8"))
    ]


def test_documented_services_listen_on_localhost_unless_the_docs_say_why_not() -> None:
    for where, block in _docs():
        for line in block.splitlines():
            code = line.split("#", 1)[0]
            # scrapyd.conf, Splash, any server's --bind/--ip/--host
            for address in re.findall(
                r"(?:bind_address\s*=|--bind|--ip|--host|--listen)[\s=]+(\S+)", code
            ):
                assert _is_loopback(address), (where, line)
            if re.match(r"\s*bind\s", code):  # redis.conf
                addresses = code.split()[1:]
                assert any(_is_loopback(a) for a in addresses), (where, line)
                for address in addresses:
                    if not _is_loopback(address):
                        # Told otherwise: a private network address, behind a password.
                        assert ipaddress.ip_address(address).is_private, (where, line)
                        assert address != "0.0.0.0", (where, line)
                        assert re.search(r"^\s*requirepass\s", block, re.MULTILINE), where
            assert not re.match(r"\s*protected-mode\s+no", code), (where, line)
            if re.search(r"\bredis-server\b", code) and "apt-get" not in code:
                assert re.search(r"--bind\s+127\.0\.0\.1", code), (where, line)
            if re.search(r"\bscrapyd\b(?!-deploy)", code) and "pip" not in code:
                assert "bind_address" not in code or "127.0.0.1" in code, (where, line)


def test_the_test_services_listen_on_localhost() -> None:
    services = (PROJECT_DIR / "tests" / "services.py").read_text(encoding="utf-8")
    assert '"--bind", "127.0.0.1"' in services  # redis-server
    assert "bind_address = 127.0.0.1" in services  # scrapyd.conf
    assert '"--ip", "127.0.0.1"' in services  # Splash
    assert not re.search(r"0\.0\.0\.0|bind_address = (?!127\.0\.0\.1)", services)


def test_no_service_is_reached_by_default() -> None:
    assert config.REDIS_URL.default == ""
    assert config.SPLASH_URL.default == ""
    assert config.BASE_URL.default == ""

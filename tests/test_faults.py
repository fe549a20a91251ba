"""Fault injection: `scrapy crawl iribnews` against the snapshot site served by a server that
answers chosen articles badly (tests/faultserver.py), with canary servers that must never be
asked for anything.

One crawl (module fixture, under 10 s: DOWNLOAD_TIMEOUT 2 s, RETRY_TIMES 2,
DOWNLOAD_MAXSIZE 1 MiB) and many assertions: the crawl finishes; what is retryable is retried;
every article eventually served whole is emitted, exactly as the answer key has it (no
mojibake); nothing cut short is emitted; nothing outside the mirror is fetched; and the report
names every failure with its reason.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer
from twisted.internet import error as net
from twisted.python.failure import Failure
from twisted.web import _newclient, http

from newsbot.crawl.downloads import failure_reason, page_problem
from newsbot.sites.urls import news_id_from_url
from snapshot.crawl import LOCAL_SETTINGS, PROJECT_DIR, SnapshotCrawl, crawl_snapshot
from tests.faultserver import (
    Answer,
    CutHtml,
    Empty,
    FaultServer,
    Huge,
    MetaRefresh,
    Redirect,
    Reset,
    Serve,
    ShortBody,
    Slow,
    Status,
)

TRUTH: dict[str, Any] = json.loads((PROJECT_DIR / "snapshot" / "truth.json").read_text("utf-8"))
MAXSIZE = 1024 * 1024
SETTINGS = {
    **LOCAL_SETTINGS,
    "DOWNLOAD_TIMEOUT": "2",
    "RETRY_TIMES": "2",
    "DOWNLOAD_MAXSIZE": str(MAXSIZE),
    "DOWNLOAD_WARNSIZE": "0",
    "LOG_LEVEL": "DEBUG",  # a line per request: what was fetched and followed
}
ATTEMPTS = 3  # 1 + RETRY_TIMES

# Served whole in the end: emitted, exactly as the answer key has them.
RECOVERED: dict[str, list[Answer]] = {
    "3900001": [Status(503), Status(503), Serve()],
    "3900002": [Slow(5), Serve()],
    "3900003": [Reset(), Serve()],
    "3900004": [ShortBody(), Serve()],
    "3900005": [Redirect("/fa/news/3900005/canonical-slug", 301), Serve()],
    "3900006": [CutHtml(), Serve()],
    "3900007": [Serve(charset="windows-1256")],  # UTF-8 declared as Arabic Windows
    "3900008": [Serve(charset="iso-8859-1")],  # UTF-8 declared as Latin-1
    "3900009": [Serve(encoding="cp1256", charset="windows-1256")],  # honest windows-1256
    "3900020": [Redirect("https://www.iribnews.ir/fa/news/3900020"), Serve()],  # onto the mirror
    "3900023": [Empty(), Serve()],
}
# Never served whole: not emitted, and in the report under this reason.
FAILING: dict[str, tuple[str, list[Answer]]] = {
    "3900010": ("http_503", [Status(503)]),
    "3900011": ("timeout", [Slow(5)]),
    "3900012": ("connection_lost", [Reset()]),
    "3900013": ("data_loss", [ShortBody()]),
    "3900014": ("truncated", [CutHtml(0.6)]),
    "3900015": ("truncated", [CutHtml(0.6, content_length=False)]),
    "3900016": (
        "redirect_loop",
        [Redirect("/fa/news/3900016/a"), Redirect("/fa/news/3900016/b")],
    ),
    "3900017": ("offsite_redirect", [Redirect("{canary}/fa/news/3900017")]),
    "3900018": ("offsite_redirect", [Redirect("{same_host_canary}/fa/news/3900018")]),
    "3900019": ("offsite_redirect", [Redirect("http://169.254.169.254/latest/meta-data/")]),
    "3900027": ("offsite_redirect", [MetaRefresh("{canary}/fa/news/3900027")]),
    "3900021": ("too_large", [Huge(3 * MAXSIZE)]),
    "3900022": ("too_large", [Huge(3 * MAXSIZE, content_length=False)]),
    "3900024": ("empty_page", [Empty()]),
    "3900025": ("bad_encoding", [Serve(encoding="cp1256")]),  # windows-1256 declared as UTF-8
    "3900026": ("http_302", [Redirect("file:///etc/passwd")]),  # not http(s): not followed
}
# How many requests each article gets: retries for what may pass next time, one for the rest.
REQUESTS = {
    "3900001": 3, "3900002": 2, "3900003": 2, "3900004": 2, "3900005": 2, "3900006": 2,
    "3900020": 2, "3900023": 2,
    "3900010": ATTEMPTS, "3900011": ATTEMPTS, "3900012": ATTEMPTS, "3900013": ATTEMPTS,
    "3900014": ATTEMPTS, "3900015": ATTEMPTS, "3900024": ATTEMPTS,
    "3900016": 3, "3900017": 1, "3900018": 1, "3900019": 1, "3900027": 1,
    "3900021": 1, "3900022": 1, "3900025": 1, "3900026": 1,
}  # fmt: skip
# Mojibake of Persian: UTF-8 read as Latin-1/Windows-1252 or Windows-1256 gives Latin-1
# Supplement letters and signs (Ø¯, Ø§; ط§, ط±), a wrong single-byte guess gives U+FFFD.
_MOJIBAKE = re.compile("[\u00a1-\u00ff\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u20ac\ufffd]")


class Faults:
    def __init__(self, crawl: SnapshotCrawl, server: FaultServer, canaries: list[FaultServer]):
        self.crawl = crawl
        self.server = server
        self.canaries = canaries


@pytest.fixture(scope="module")
def faults(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Faults]:
    with (
        FaultServer(host="127.0.0.2") as canary,
        FaultServer(host="127.0.0.1") as same_host_canary,
    ):
        places = {"canary": canary.base_url, "same_host_canary": same_host_canary.base_url}
        answers = {news_id: list(answers) for news_id, answers in RECOVERED.items()}
        for news_id, (_, failing) in FAILING.items():
            answers[news_id] = [_placed(answer, places) for answer in failing]
        with FaultServer(answers) as server:
            crawl = crawl_snapshot(
                tmp_path_factory.mktemp("data"), settings=SETTINGS, server=server, timeout=120
            )
        yield Faults(crawl, server, [canary, same_host_canary])


def _placed(answer: Answer, places: dict[str, str]) -> Answer:
    if isinstance(answer, Redirect):
        return Redirect(answer.location.format_map({"base": "{base}", **places}), answer.code)
    if isinstance(answer, MetaRefresh):
        return MetaRefresh(answer.location.format_map(places))
    return answer


def _emitted(faults: Faults) -> dict[str, dict[str, Any]]:
    return {str(a["news_id"]): a for a in faults.crawl.records("article")}


@pytest.mark.e2e
def test_the_crawl_finishes_with_its_report(faults: Faults) -> None:
    assert faults.crawl.returncode == 0, faults.crawl.log[-3000:]
    report = faults.crawl.report()
    assert report["finish_reason"] == "finished"
    assert report["status"] == "ok"


@pytest.mark.e2e
def test_every_article_served_whole_in_the_end_is_emitted_as_the_answer_key_has_it(
    faults: Faults,
) -> None:
    emitted = _emitted(faults)
    expected = set(TRUTH["articles"]) - set(FAILING)
    assert set(emitted) == expected
    assert set(RECOVERED) <= expected
    for news_id in expected:
        for field in ("title", "kicker", "lead", "body", "section", "tags", "published_at"):
            assert emitted[news_id][field] == TRUTH["articles"][news_id][field], (news_id, field)


@pytest.mark.e2e
def test_a_wrong_declared_charset_gives_no_mojibake(faults: Faults) -> None:
    for feed in faults.crawl.feeds:
        text = feed.read_text(encoding="utf-8")
        assert not _MOJIBAKE.findall(text), feed
    emitted = _emitted(faults)
    for news_id in ("3900007", "3900008", "3900009"):
        assert emitted[news_id]["title"] == TRUTH["articles"][news_id]["title"]


@pytest.mark.e2e
def test_nothing_cut_short_is_emitted(faults: Faults) -> None:
    emitted = _emitted(faults)
    for news_id, (reason, _) in FAILING.items():
        assert news_id not in emitted, reason
    # The ones cut short once were emitted whole, from the answer that came whole.
    for news_id in ("3900004", "3900006", "3900023"):
        assert emitted[news_id]["body"] == TRUTH["articles"][news_id]["body"]


@pytest.mark.e2e
def test_the_report_names_every_failure_with_its_reason(faults: Faults) -> None:
    dropped = faults.crawl.report()["dropped"]
    expected: dict[str, set[str]] = {}
    for news_id, (reason, _) in FAILING.items():
        expected.setdefault(reason, set()).add(news_id)
    for reason, ids in expected.items():
        assert reason in dropped, (reason, sorted(dropped))
        assert dropped[reason]["count"] == len(ids), reason
        found = {str(news_id_from_url(url)) for url in dropped[reason]["examples"]}
        assert found == ids, reason
    # Retried and then served: not failures.
    examples = [url for entry in dropped.values() for url in entry["examples"]]
    assert not {str(news_id_from_url(url)) for url in examples} & set(RECOVERED)


@pytest.mark.e2e
def test_what_may_pass_next_time_is_retried_and_the_rest_is_not(faults: Faults) -> None:
    asked = {news_id: len(faults.server.requests_for(news_id)) for news_id in REQUESTS}
    assert asked == REQUESTS


@pytest.mark.e2e
def test_nothing_outside_the_mirror_is_fetched(faults: Faults) -> None:
    for canary in faults.canaries:
        assert canary.requests == [], canary.base_url
    base = urlsplit(faults.server.base_url).netloc
    hosts = set(re.findall(r"<GET https?://([^/> ]+)", faults.crawl.log))
    assert hosts == {base}
    followed = re.findall(r"Redirecting \(\d+\) to <GET ([^>]+)>", faults.crawl.log)
    assert {news_id_from_url(url) for url in followed} == {3900005, 3900016, 3900020}


@pytest.mark.e2e
def test_a_redirect_to_the_same_article_is_followed(faults: Faults) -> None:
    emitted = _emitted(faults)
    assert emitted["3900005"]["url"].endswith("/fa/news/3900005/canonical-slug")
    assert emitted["3900020"]["url"] == f"{faults.server.base_url}/fa/news/3900020"


# --- the pieces, without a crawl -----------------------------------------------------------


def _failure(error: Exception) -> Failure:
    failure = Failure(error)
    failure.request = Request("http://127.0.0.1/fa/news/1")  # type: ignore[attr-defined]
    return failure


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (net.TimeoutError(), "timeout"),
        (defer.TimeoutError(), "timeout"),
        (defer.CancelledError(), "too_large"),
        (_newclient.ResponseFailed([Failure(http._DataLoss())]), "data_loss"),
        (_newclient.ResponseNeverReceived([Failure(net.ConnectionLost())]), "connection_lost"),
        (net.ConnectionLost(), "connection_lost"),
        (net.ConnectionRefusedError(), "connection_refused"),
        (net.DNSLookupError(), "dns_error"),
        (IgnoreRequest("Forbidden by robots.txt"), "robots_txt"),
        (IgnoreRequest("offsite redirect to http://169.254.169.254/"), "offsite_redirect"),
        (IgnoreRequest("max redirections reached"), "redirect_loop"),
        (ValueError("anything else"), "download_error"),
    ],
)
def test_each_download_failure_has_its_reason(error: Exception, reason: str) -> None:
    assert failure_reason(_failure(error)) == reason


def test_an_http_error_is_named_by_its_status() -> None:
    response = Response("http://127.0.0.1/fa/news/1", status=504)
    assert failure_reason(_failure(HttpError(response))) == "http_504"


def _page(body: bytes, *, charset: str | None = "utf-8", flags: list[str] | None = None) -> Any:
    headers = {"Content-Type": f"text/html; charset={charset}"} if charset else {}
    return HtmlResponse("http://127.0.0.1/fa/news/1", body=body, headers=headers, flags=flags)


WHOLE = "<html><body><p>متن کامل خبر</p></body></html>".encode()


def test_page_problems() -> None:
    assert page_problem(_page(b"")) == "empty_page"
    assert page_problem(_page(b"  \n")) == "empty_page"
    assert page_problem(_page(WHOLE, flags=["dataloss"])) == "data_loss"
    assert page_problem(_page(WHOLE[:30])) == "truncated"
    assert page_problem(_page(WHOLE[:30]), whole=False) != "truncated"
    assert page_problem(Response("http://127.0.0.1/x.pdf", body=b"%PDF")) == "not_html"
    assert page_problem(_page("<html><body>خبر</body></html>".encode("cp1256"))) == "bad_encoding"


@pytest.mark.parametrize("charset", ["windows-1256", "iso-8859-1", "cp1252", None])
def test_a_utf8_page_reads_as_utf8_whatever_it_declares(charset: str | None) -> None:
    page = page_problem(_page(WHOLE, charset=charset))
    assert not isinstance(page, str)
    assert "متن کامل خبر" in page.text


def test_an_honest_windows_1256_page_reads_as_windows_1256() -> None:
    page = page_problem(_page("<html><body>خبر</body></html>".encode("cp1256"), charset="cp1256"))
    assert not isinstance(page, str)
    assert "خبر" in page.text


def test_a_replacement_character_in_the_page_itself_is_no_encoding_problem() -> None:
    body = "<html><body>خبر \ufffd</body></html>".encode()
    assert not isinstance(page_problem(_page(body)), str)


def test_the_fault_server_records_and_counts(tmp_path: Path) -> None:
    with FaultServer({"3900001": [Status(503), Serve()]}) as server:
        assert server.answer_for("/fa/news/3900001/x") == Status(503)
        assert server.answer_for("/fa/news/3900001") == Serve()
        assert server.answer_for("/fa/news/3900001") == Serve()
        assert server.answer_for("/") == Serve()

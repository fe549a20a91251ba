from pathlib import Path

from scrapy import Request
from scrapy.utils.test import get_crawler

from newsbot.crawl.fingerprint import ArticleIdDupeFilter, NewsIdRequestFingerprinter
from newsbot.items import ArticleKeys


def fingerprint(url: str, method: str = "GET") -> bytes:
    fingerprinter = NewsIdRequestFingerprinter.from_crawler(get_crawler())
    return fingerprinter.fingerprint(Request(url, method=method))


def test_one_article_under_different_slugs_and_www_is_one_request() -> None:
    urls = [
        "http://www.iribnews.ir/fa/news/3900001/%D8%A7%D9%84%D9%81",
        "http://www.iribnews.ir/fa/news/3900001/other-slug-",
        "http://iribnews.ir/fa/news/3900001",
        "http://www.iribnews.ir/fa/news/3900001/",
        "http://WWW.iribnews.ir./fa/news/3900001",
    ]
    assert len({fingerprint(url) for url in urls}) == 1


def test_different_ids_hosts_and_ports_stay_apart() -> None:
    urls = [
        "http://www.iribnews.ir/fa/news/3900001",
        "http://www.iribnews.ir/fa/news/3900002",
        "http://tabriz.iribnews.ir/fa/news/3900001",  # a provincial desk numbers its own news
        "http://yazd.iribnews.ir/fa/news/3900001",
        "http://127.0.0.1:8000/fa/news/3900001",
        "http://127.0.0.1:9000/fa/news/3900001",
    ]
    assert len({fingerprint(url) for url in urls}) == len(urls)


def test_other_pages_keep_scrapy_fingerprints() -> None:
    assert fingerprint("http://www.iribnews.ir/fa/sport") != fingerprint(
        "http://www.iribnews.ir/fa/sport/1"
    )
    assert fingerprint("http://www.iribnews.ir/fa/news/1", "POST") != fingerprint(
        "http://www.iribnews.ir/fa/news/1"
    )


def dupefilter(jobdir: Path | None = None) -> ArticleIdDupeFilter:
    crawler = get_crawler(settings_dict={"JOBDIR": str(jobdir)} if jobdir else {})
    crawler.request_fingerprinter = NewsIdRequestFingerprinter.from_crawler(crawler)
    return ArticleIdDupeFilter.from_crawler(crawler)


def test_the_duplicate_filter_knows_an_article_by_origin_and_id() -> None:
    seen = dupefilter()
    requests = [
        Request("http://www.iribnews.ir/fa/news/3900001/slug"),
        Request("http://iribnews.ir/fa/news/3900001"),  # the same article
        Request("http://yazd.iribnews.ir/fa/news/3900001"),  # another desk's
        Request("http://www.iribnews.ir/fa/news/3900002"),
        Request("http://www.iribnews.ir/fa/sport"),
        Request("http://www.iribnews.ir/fa/sport"),
        Request(f"http://www.iribnews.ir/fa/news/{2**40}"),  # past 32 bits: a fingerprint
        Request(f"http://www.iribnews.ir/fa/news/{2**40}/slug"),
    ]
    assert [seen.request_seen(r) for r in requests] == [
        False,
        True,
        False,
        False,
        False,
        True,
        False,
        True,
    ]
    # Articles as bitmaps of ids; the section page and the huge id as fingerprints.
    assert len(seen.fingerprints) == 2


def test_the_articles_seen_survive_a_pause_in_jobdir(tmp_path: Path) -> None:
    first = dupefilter(tmp_path)
    assert not first.request_seen(Request("http://www.iribnews.ir/fa/news/3900001"))
    assert not first.request_seen(Request("http://www.iribnews.ir/fa/sport"))
    first.close("shutdown")
    assert "article iribnews.ir:None 3900001" in (tmp_path / "requests.seen").read_text()
    second = dupefilter(tmp_path)
    assert second.request_seen(Request("http://www.iribnews.ir/fa/news/3900001/slug"))
    assert second.request_seen(Request("http://www.iribnews.ir/fa/sport"))
    assert not second.request_seen(Request("http://www.iribnews.ir/fa/news/3900002"))
    second.close("finished")


def test_article_keys_hold_desks_apart_and_any_id() -> None:
    keys = ArticleKeys()
    keys.add("www", 3900001)
    keys.add("yazd", 2**40)
    assert ("www", 3900001) in keys
    assert ("yazd", 3900001) not in keys
    assert ("yazd", 2**40) in keys
    assert ("www", 2**40) not in keys

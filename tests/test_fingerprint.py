from scrapy import Request
from scrapy.utils.test import get_crawler

from newsbot.crawl.fingerprint import NewsIdRequestFingerprinter


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

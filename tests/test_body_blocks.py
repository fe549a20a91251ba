"""Body blocks (issue #15 item 5) and the paragraph walk they share with `body`.

`body` must stay byte-identical whatever the walk learns for `body_blocks`: the paragraphs of
every element of every fixture and snapshot page are held against digests written before the
walk served both (tests/body_paragraphs.json, see `paragraph_digest`).
"""

import hashlib
import json
from pathlib import Path

import pytest
from lxml import etree

from newsbot.extract.article import parse_article
from newsbot.extract.body import read_body
from newsbot.extract.htmltext import paragraphs
from newsbot.extract.records import checked_record, normalized_article
from newsbot.extract.selectors import page_selector
from newsbot.items import BodyBlock
from newsbot.schema import RecordInvalid, validate_record
from newsbot.sites.profiles import IRIBNEWS

PROJECT = Path(__file__).resolve().parent.parent
NOW = "2026-11-26T10:00:00+00:00"
# Written by `paragraph_digest` with the paragraph walk of commit f238754, before it also gave
# body blocks (that commit's newsbot/ first on the path), for every page under snapshot/site/
# and tests/: {page path: [digest of the page's HTML, digest of its paragraphs]}.
GOLDEN: dict[str, list[str]] = json.loads(
    (PROJECT / "tests" / "body_paragraphs.json").read_text("utf-8")
)


def paragraph_digest(page: str) -> str:
    """One digest of the paragraphs (as `body` joins them) of every element of a page, in
    document order: every body and field any profile reads is among them."""
    digest = hashlib.blake2b(digest_size=16)
    for n, element in enumerate(page_selector(page).root.iter(etree.Element)):
        digest.update(f"{n}\x1e".encode())
        digest.update("\x1f".join(paragraphs(element)).encode())
        digest.update(b"\x1d")
    return digest.hexdigest()


@pytest.mark.parametrize("path", sorted(GOLDEN))
def test_paragraphs_are_as_before_body_blocks(path: str) -> None:
    page_digest, paragraphs_before = GOLDEN[path]
    page = (PROJECT / path).read_text("utf-8")
    if hashlib.blake2b(page.encode(), digest_size=16).hexdigest() != page_digest:
        pytest.skip(f"{path} changed since the digests were written: nothing to compare")
    assert paragraph_digest(page) == paragraphs_before


def every_page() -> list[Path]:
    return sorted(PROJECT / path for path in GOLDEN)


def test_the_body_read_with_its_blocks_is_the_body_read_alone() -> None:
    """The walk that also hears the blocks gives the same text, on the `<body>` and every
    element with a class (where the profiles' body selectors point) of every page."""
    for path in every_page():
        root = page_selector(path.read_text("utf-8")).root
        for element in root.iter(etree.Element):
            if element.tag != "body" and element.get("class") is None:
                continue
            alone = paragraphs(element)
            body = read_body(element, "https://www.iribnews.ir/fa/news/1", IRIBNEWS)
            assert body.text == "\n\n".join(alone), (path, element.tag)
            texts = [block["text"] for block in body.blocks if "text" in block]
            assert set(texts) <= set(alone), path


# ------------------------------------------------------------------------ body blocks

SEED_LIKE = PROJECT / "tests" / "comments_site" / "news" / "7100004"


def test_the_seed_like_page_gives_its_hand_written_blocks_and_related_news() -> None:
    facts = json.loads(SEED_LIKE.with_suffix(".json").read_text("utf-8"))
    page = SEED_LIKE.with_suffix(".html").read_text("utf-8")
    article = normalized_article(parse_article(page, facts["url"], IRIBNEWS, crawled_at=NOW))
    assert article.body_blocks == facts["body_blocks"]
    assert article.related == facts["related"]
    headings = [b["text"] for b in article.body_blocks if b["type"] == "heading"]
    assert len(headings) == 3
    # body is as it always was: every paragraph, the image's caption included.
    assert article.body.split("\n\n")[8] == "جلسه شورای شهر در روز سه‌شنبه"
    assert checked_record(article)["body_blocks"] == facts["body_blocks"]


def blocks(body: str, url: str = "https://www.iribnews.ir/fa/news/9") -> list[BodyBlock]:
    page = f'<html><body><h1 class="title">ع</h1><div class="body">{body}</div></body></html>'
    return normalized_article(parse_article(page, url, IRIBNEWS, crawled_at=NOW)).body_blocks


def test_headings_quotes_and_list_items_by_their_markup() -> None:
    found = blocks(
        "<h2>دو</h2><h6>شش</h6><p><b>همه</b> <strong>پررنگ</strong></p>"
        "<p><strong>نیمه</strong> پررنگ</p><li><strong>فهرست</strong></li>"
        "<blockquote>نقل <p>بند نقل</p></blockquote><h1>یک</h1>"
    )
    assert [(b["type"], b.get("text")) for b in found] == [
        ("heading", "دو"),
        ("heading", "شش"),
        ("heading", "همه پررنگ"),
        ("paragraph", "نیمه پررنگ"),
        ("list_item", "فهرست"),
        ("quote", "نقل"),
        ("quote", "بند نقل"),
        ("paragraph", "یک"),
    ]


def test_images_and_videos_take_their_place_among_the_paragraphs() -> None:
    found = blocks(
        '<p><img src="/a.jpg"> متن یک <img src="b.jpg" alt=" "> ادامه</p>'
        '<p><img alt="بی نشانی"></p><video></video><video src="/v.mp4"></video>'
        '<figure><video src="/w.mp4"></video><figcaption>زیرنویس ویدیو</figcaption></figure>'
    )
    assert found == [
        {"type": "image", "src": "https://www.iribnews.ir/a.jpg", "alt": None, "caption": None},
        {"type": "paragraph", "text": "متن یک ادامه", "links": []},
        {
            "type": "image",
            "src": "https://www.iribnews.ir/fa/news/b.jpg",
            "alt": None,
            "caption": None,
        },
        {"type": "video", "src": None},
        {"type": "video", "src": "https://www.iribnews.ir/v.mp4"},
        {"type": "video", "src": "https://www.iribnews.ir/w.mp4"},
        # A figure without an image keeps its caption as a paragraph.
        {"type": "paragraph", "text": "زیرنویس ویدیو", "links": []},
    ]


def test_links_keep_their_text_url_and_the_news_id_of_the_sites_articles() -> None:
    block, image = blocks(
        '<p><a href="/fa/news/5/x">پنج</a> <a href="https://iribnews.ir/fa/news/6">شش</a>'
        ' <a href="http://127.0.0.1:8000/fa/news/7">هفت</a> <a href="/fa/tag/8">برچسب</a>'
        ' <a href="#top">بالا</a> <a href="/fa/news/9"><img src="/i.jpg"></a></p>'
    )
    assert block["type"] == "paragraph"
    assert image["type"] == "image"  # a link without text is no link of the text
    assert [(link["text"], link["news_id"]) for link in block["links"]] == [
        ("پنج", 5), ("شش", 6), ("هفت", None), ("برچسب", None),
    ]  # fmt: skip
    # On a mirror, links written to the site's hosts are the site's; on a provincial desk,
    # only its own host's are.
    mirror = blocks(
        '<p><a href="https://www.iribnews.ir/fa/news/6">شش</a></p>',
        "http://127.0.0.1:8000/fa/news/9",
    )
    assert mirror[0]["links"][0]["news_id"] == 6
    desk = "https://yazd.iribnews.ir/fa/news/9"
    [on_desk] = blocks(
        '<p><a href="/fa/news/5">پنج</a> <a href="https://www.iribnews.ir/fa/news/6">شش</a></p>',
        desk,
    )
    assert [link["news_id"] for link in on_desk["links"]] == [5, None]


def test_related_news_are_the_links_after_the_heading_in_its_block() -> None:
    page = (
        '<html><body><h1 class="title">ع</h1><div class="body"><p><a href="/fa/news/3">سه</a></p>'
        '<h4>اخبار  مرتبط</h4><ul><li><a href="/fa/news/4">چهار</a></li><li><a href="/fa/news/9">خود</a></li>'
        '<li><a href="/fa/news/4/x">باز</a></li></ul></div>'
        '<div class="side"><span>اخبار مرتبط با این خبر</span><a href="/fa/news/5">پنج</a></div>'
        "</body></html>"
    )
    article = parse_article(page, "https://www.iribnews.ir/fa/news/9", IRIBNEWS, crawled_at=NOW)
    assert article.related == [4]
    plain = page.replace("اخبار  مرتبط", "خبرهای دیگر")
    assert (
        parse_article(plain, "https://www.iribnews.ir/fa/news/9", IRIBNEWS, crawled_at=NOW).related
        == []
    )


@pytest.mark.parametrize(
    "block",
    [
        {"type": "paragraph", "text": "", "links": []},
        {"type": "heading", "text": "متن"},
        {"type": "table", "text": "متن", "links": []},
        {"type": "image", "src": "/a.jpg", "alt": None, "caption": None},
        {"type": "video", "src": "https://x.ir/v.mp4", "text": "متن"},
        {
            "type": "list_item",
            "text": "متن",
            "links": [{"text": "پیوند", "url": "x", "news_id": 1}],
        },
    ],
)
def test_the_schema_refuses_a_malformed_block(block: dict[str, object]) -> None:
    facts = json.loads(SEED_LIKE.with_suffix(".json").read_text("utf-8"))
    page = SEED_LIKE.with_suffix(".html").read_text("utf-8")
    article = normalized_article(parse_article(page, facts["url"], IRIBNEWS, crawled_at=NOW))
    record = checked_record(article)
    with pytest.raises(RecordInvalid, match="body_blocks"):
        validate_record(record | {"body_blocks": [*record["body_blocks"], block]})

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

from newsbot.extract.htmltext import paragraphs
from newsbot.extract.selectors import page_selector

PROJECT = Path(__file__).resolve().parent.parent
# Written once by `paragraph_digest` at commit f238754, before the paragraph walk also gave
# body blocks: {page path: [digest of the page's HTML, digest of its paragraphs]}.
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

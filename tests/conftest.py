from pathlib import Path

import pytest
from scrapy.utils.reactor import install_reactor

# scrapy.utils.test.get_crawler needs the reactor Scrapy runs on, as in a real crawl.
install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")

SHARED_REAL_PAGES = Path(__file__).resolve().parents[2] / "shared" / "real-pages"


@pytest.fixture
def real_pages() -> Path:
    """The third-party pages in ../shared/real-pages, which a fresh clone does not have."""
    if not SHARED_REAL_PAGES.is_dir():
        pytest.skip(f"{SHARED_REAL_PAGES} is absent (it sits beside the checkout, not in it)")
    return SHARED_REAL_PAGES

import os
from pathlib import Path

import pytest
from hypothesis import settings
from scrapy.utils.reactor import install_reactor

# scrapy.utils.test.get_crawler needs the reactor Scrapy runs on, as in a real crawl.
install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")

# Hypothesis profiles: `ci` gives the fuzz tests (test_fuzz.py) 10,000 examples each, `dev` a
# few hundred, so that a developer's run takes seconds rather than minutes. HYPOTHESIS_PROFILE
# picks one; by default `ci` under CI (CI=true) and `dev` elsewhere. The property tests that
# set their own max_examples keep it under both.
settings.register_profile("ci", max_examples=10_000)
settings.register_profile("dev", max_examples=200)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() in ("true", "1") else "dev")
)

SHARED_REAL_PAGES = Path(__file__).resolve().parents[2] / "shared" / "real-pages"


def pytest_report_header() -> str:
    return f"hypothesis profile: {settings.get_current_profile_name()} (HYPOTHESIS_PROFILE)"


@pytest.fixture
def real_pages() -> Path:
    """The third-party pages in ../shared/real-pages, which a fresh clone does not have."""
    if not SHARED_REAL_PAGES.is_dir():
        pytest.skip(f"{SHARED_REAL_PAGES} is absent (it sits beside the checkout, not in it)")
    return SHARED_REAL_PAGES

"""Dependency pins that an upgrade could silently break."""

import importlib
import warnings

import scrapy
from scrapy.exceptions import ScrapyDeprecationWarning


def test_scrapy_stays_on_the_release_line_scrapy_splash_supports() -> None:
    # scrapy-splash 0.11.1 fails to import on Scrapy 2.14+ (scrapy-plugins/scrapy-splash#332).
    assert scrapy.__version__.startswith("2.13.")


def test_scrapy_splash_imports_with_the_pinned_scrapy() -> None:
    with warnings.catch_warnings():
        # It still calls a Scrapy helper that 2.13 deprecates; the import itself must work.
        warnings.simplefilter("ignore", ScrapyDeprecationWarning)
        scrapy_splash = importlib.import_module("scrapy_splash")
    assert scrapy_splash.SplashRequest is not None
    assert scrapy_splash.SplashMiddleware is not None

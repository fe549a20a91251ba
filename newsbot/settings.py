"""Scrapy settings for newsbot: polite production defaults, every one overridable with -s."""

from newsbot import __version__

BOT_NAME = "newsbot"
SPIDER_MODULES = ["newsbot.spiders"]
NEWSPIDER_MODULE = "newsbot.spiders"

# --- newsbot's own settings -------------------------------------------------------------
# Where feeds are written (data/<site>/...). Relative paths are relative to the working dir.
NEWSBOT_DATA_DIR = "data"
# Crawl a mirror or a local copy instead of the live site (the spider argument base_url wins).
NEWSBOT_BASE_URL = ""

# --- Politeness: a live crawl stays near one request per second per site --------------------
USER_AGENT = (
    f"newsbot/{__version__} (research crawler for Persian news; obeys robots.txt; "
    "set USER_AGENT to add your contact)"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

# --- Robustness ----------------------------------------------------------------------------
RETRY_ENABLED = True
RETRY_TIMES = 3
DOWNLOAD_TIMEOUT = 30
# An article page is ~100 KB; anything this large is not one.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# --- The data flow: spider → parser → pipelines → feeds ---------------------------------
REQUEST_FINGERPRINTER_CLASS = "newsbot.fingerprint.NewsIdRequestFingerprinter"
ITEM_PIPELINES = {
    "newsbot.pipelines.NormalizeTextPipeline": 100,
    "newsbot.pipelines.ParseDatesPipeline": 200,
    "newsbot.pipelines.ValidatePipeline": 300,
    "newsbot.pipelines.DropDuplicatesPipeline": 400,
}
LOG_FORMATTER = "newsbot.logformatter.NewsbotLogFormatter"
SPIDER_CONTRACTS = {"newsbot.contracts.SitePathContract": 10}

# One JSON Lines file per record type and crawl: data/<site>/articles-<time>.jsonl and
# data/<site>/listings-<time>.jsonl, written through newsbot.feeds (no half-written files).
FEED_EXPORT_ENCODING = "utf-8"
FEED_URI_PARAMS = "newsbot.feeds.uri_params"
FEED_STORAGES = {
    "": "newsbot.feeds.AtomicFileFeedStorage",
    "file": "newsbot.feeds.AtomicFileFeedStorage",
}
FEEDS = {
    f"%(data_dir)s/%(name)s/{kind}s-%(time)s.jsonl": {
        "format": "jsonlines",
        "encoding": "utf-8",
        "overwrite": True,
        "item_classes": [f"newsbot.items.{kind.title()}"],
    }
    for kind in ("article", "listing")
}

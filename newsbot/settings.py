"""Scrapy settings for newsbot: polite production defaults, every one overridable with -s."""

from newsbot import __version__

BOT_NAME = "newsbot"
SPIDER_MODULES = ["newsbot.spiders"]
NEWSPIDER_MODULE = "newsbot.spiders"

# --- newsbot's own settings -------------------------------------------------------------
# Every setting newsbot reads (NEWSBOT_*, SPLASH_URL, REDIS_URL) is declared once, with its
# default, its type and what it does, in newsbot/crawl/config.py; the add-on below sets those
# defaults (below this file's priority: give a value here to change one) and checks every value
# before a crawl starts.
ADDONS = {"newsbot.crawl.config.NewsbotSettings": 0}

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
# Redirects stay on the crawl's hosts (and on a mirror's port): one that leaves them is a
# dropped page (`offsite_redirect`), never a request; see newsbot/crawl/downloads.py.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "newsbot.crawl.downloads.MetaRefreshMiddleware": 580,
    "newsbot.crawl.downloads.RedirectMiddleware": 600,
    # Before Scrapy's HttpProxyMiddleware (750), after Splash's (725).
    "newsbot.crawl.downloads.ProxyMiddleware": 740,
}
# Raw pages (newsbot/crawl/warc.py): with NEWSBOT_WARC_ENABLED, every response as it came, into
# <NEWSBOT_DATA_DIR>/<site>/warc/<time>.warc.gz (for `newsbot reparse`). Next to the downloader,
# so that it sees redirects and undecoded bodies.
DOWNLOADER_MIDDLEWARES["newsbot.crawl.warc.WarcArchive"] = 950

# --- The data flow: spider → parser → pipelines → feeds ---------------------------------
# Scrapy hands a callback's output to the spider middlewares and pipelines through
# CONCURRENT_ITEMS cooperative tasks, all made for every response whatever it yields (Scrapy
# 2.13's scrapy.utils.defer.parallel). newsbot's pipelines are synchronous, so items in parallel
# gain nothing, while Scrapy's 100 tasks a page took a third of a crawl's CPU: 145 articles per
# CPU-second at 100, 206 at 16, 223 at 1, crawling a generated site (issue #13's note). Raise it
# only for an asynchronous pipeline of your own.
CONCURRENT_ITEMS = 1
REQUEST_FINGERPRINTER_CLASS = "newsbot.crawl.fingerprint.NewsIdRequestFingerprinter"
# Article requests seen as bitmaps of news ids (memory flat to millions of articles).
DUPEFILTER_CLASS = "newsbot.crawl.fingerprint.ArticleIdDupeFilter"
# Article requests for what the crawl state knows are left out (newsbot/crawl/known.py).
SPIDER_MIDDLEWARES = {"newsbot.crawl.known.KnownArticlesMiddleware": 700}
ITEM_PIPELINES = {
    "newsbot.crawl.pipelines.NormalizeTextPipeline": 100,
    "newsbot.crawl.pipelines.ParseDatesPipeline": 200,
    "newsbot.crawl.pipelines.ValidatePipeline": 300,
    "newsbot.crawl.pipelines.InDateRangePipeline": 350,
    "newsbot.crawl.pipelines.DropDuplicatesPipeline": 400,
}
# Both finish once Scrapy's FeedExporter has stored the feeds; the report, last, also reports
# on the state.
EXTENSIONS = {
    "newsbot.state.store.CrawlState": 100,
    "newsbot.crawl.report.CrawlReport": 900,
    # newsbot's progress line in place of Scrapy's (pages by kind, articles, drops, queue).
    "scrapy.extensions.logstats.LogStats": None,
    "newsbot.crawl.report.CrawlProgress": 0,
}
# A log a reader can follow: progress every 30 s, the report's summary at the end; DEBUG adds a
# line per page fetched and per record.
LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 30.0
# `scrapy crawl` with exit statuses for cron and Scrapyd (newsbot/commands/crawl.py).
COMMANDS_MODULE = "newsbot.commands"
LOG_FORMATTER = "newsbot.crawl.logformatter.NewsbotLogFormatter"
SPIDER_CONTRACTS = {"newsbot.crawl.contracts.SitePathContract": 10}
# JavaScript pages through Splash (newsbot/scale/splash_rendering.py): with SPLASH_URL set (e.g.
# http://127.0.0.1:8050), the page kinds of NEWSBOT_RENDER_JS (else the profile's render_js)
# are rendered by Splash; without it, everything is plain HTTP and the add-on does nothing.
ADDONS["newsbot.scale.splash_rendering.SplashRendering"] = 100
# Several workers on one Redis (newsbot/scale/redis_workers.py, README "Scaling out with
# Redis"): with REDIS_URL set (in the environment, where a password stays out of `ps`, or as a
# setting), the scheduler, duplicate filter and crawl state go to Redis; without it the add-on
# does nothing.
ADDONS["newsbot.scale.redis_workers.RedisAddon"] = 200

# One JSON Lines file per record type and crawl: data/<site>/articles-<time>.jsonl,
# data/<site>/listings-<time>.jsonl and data/<site>/comments-<time>.jsonl, written through
# newsbot.crawl.feeds (no half-written files).
FEED_EXPORT_ENCODING = "utf-8"
# A scheduled run that finds no new article writes no articles file (its report says so),
# rather than an empty file every 15 minutes.
FEED_STORE_EMPTY = False
FEED_URI_PARAMS = "newsbot.crawl.feeds.uri_params"
FEED_STORAGES = {
    "": "newsbot.crawl.feeds.AtomicFileFeedStorage",
    "file": "newsbot.crawl.feeds.AtomicFileFeedStorage",
}
FEEDS = {
    f"%(data_dir)s/%(name)s/{kind}s-%(time)s.jsonl": {
        "format": "jsonlines",
        "encoding": "utf-8",
        "overwrite": True,
        "item_classes": [f"newsbot.items.{kind.title()}"],
    }
    for kind in ("article", "listing", "comment")
}

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

# --- Scheduled and incremental crawls ---------------------------------------------------------
# The crawl state (newsbot.state.store): the articles each site has emitted, one SQLite file per
# site. Empty: <NEWSBOT_DATA_DIR>/state. False: every run emits every article it finds.
NEWSBOT_STATE_ENABLED = True
NEWSBOT_STATE_DIR = ""
NEWSBOT_STATE_STORE = "newsbot.state.store.SQLiteStateStore"
# A state records the host it was filled from, and a crawl of another host with it stops (exit
# status 8): its ids would make the crawl skip articles it never emitted. Hosts (host[:port])
# listed here serve the same site and share a state:
# -s NEWSBOT_SAME_SITE_HOSTS=www.iribnews.ir,mirror.example.org:8080
NEWSBOT_SAME_SITE_HOSTS: list[str] = []
# A page of an article id that gave no article (not an article, no body, the site's "no such
# article" page, 404) is remembered in the state, and the id is not fetched again for this many
# hours: a scheduled run fetches only what can change. 0: fetch such ids again every run.
NEWSBOT_DROPPED_RETRY_HOURS = 24.0
# Commit the state every this many articles or seconds (after fsyncing the feed they are in),
# and whenever a feed is closed. After a crash the rest is rebuilt from the feed's .part file.
NEWSBOT_STATE_COMMIT_EVERY = 100
NEWSBOT_STATE_COMMIT_SECONDS = 10.0
# A backfill's walk through the archive stops after this many pages in a row without articles
# (or pages that failed), and in any case at NEWSBOT_ARCHIVE_MAX_PAGES.
NEWSBOT_ARCHIVE_EMPTY_PAGES = 3
NEWSBOT_ARCHIVE_MAX_PAGES = 10000
# The crawl report (newsbot.crawl.report): <NEWSBOT_DATA_DIR>/<site>/reports/<time>.json.
# A run whose field coverage (share of article pages with the field) falls below the floor exits
# with status 3, once it read at least NEWSBOT_COVERAGE_MIN_ARTICLES article pages. On the command
# line: -s 'NEWSBOT_COVERAGE_FLOOR={"title": 0.9, "body": 0.9, "lead": 0.5}'.
NEWSBOT_REPORT_ENABLED = True
# The defaults catch a selector that stopped matching (coverage falls towards 0), not the odd
# page without a body: a deleted article, a photo page.
NEWSBOT_COVERAGE_FLOOR = {"title": 0.8, "body": 0.8, "published_at": 0.6}
NEWSBOT_COVERAGE_MIN_ARTICLES = 20

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
NEWSBOT_WARC_ENABLED = False
DOWNLOADER_MIDDLEWARES["newsbot.crawl.warc.WarcArchive"] = 950

# --- The data flow: spider → parser → pipelines → feeds ---------------------------------
REQUEST_FINGERPRINTER_CLASS = "newsbot.crawl.fingerprint.NewsIdRequestFingerprinter"
# Article requests seen as bitmaps of news ids (memory flat to millions of articles).
DUPEFILTER_CLASS = "newsbot.crawl.fingerprint.ArticleIdDupeFilter"
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
ADDONS = {"newsbot.scale.splash_rendering.SplashRendering": 100}
SPLASH_URL = ""
NEWSBOT_RENDER_JS = ""
NEWSBOT_SPLASH_WAIT = 0.5
# Several workers on one Redis (newsbot/scale/redis_workers.py, README "Scaling out with
# Redis"): with REDIS_URL set (here, or in the environment, where a password stays out of `ps`), the
# scheduler, duplicate filter and crawl state go to Redis; without it the add-on does nothing.
# NEWSBOT_RUN names the run every worker of it shares (empty: a digest of the spider arguments).
ADDONS["newsbot.scale.redis_workers.RedisAddon"] = 200
REDIS_URL = ""
NEWSBOT_RUN = ""
NEWSBOT_REDIS_HEARTBEAT = 5.0
NEWSBOT_REDIS_WORKER_TIMEOUT = 30.0

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

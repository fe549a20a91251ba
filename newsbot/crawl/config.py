"""Every setting newsbot reads, declared once: its name, default, type and check.

`NewsbotSettings`, the first add-on of settings.ADDONS, sets each default at add-on priority
(so newsbot/settings.py, `-s` and Scrapyd's `setting=` all win over it, as with Scrapy's own
defaults) and checks every value once, before anything is fetched: a value that cannot be used
ends the crawl with exit status 2 and one line naming it (newsbot.commands.crawl). Code reads a
setting through its declaration here (`DATA_DIR.read(settings)`), never with a fallback of its
own, so a crawler made without the project's settings (a test's) gets the same defaults.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from scrapy.settings import BaseSettings

from newsbot.items import COVERAGE_FIELDS

T = TypeVar("T")


class SettingError(ValueError):
    """A setting that cannot be used (NEWSBOT_COVERAGE_FLOOR that is not a JSON object of
    shares, ...); raised before anything is fetched."""


def _text(settings: BaseSettings, name: str) -> str:
    return str(settings.get(name))


def _positive(value: float) -> str | None:
    return None if value > 0 else "expected more than 0"


def _zero_or_more(value: float) -> str | None:
    return None if value >= 0 else "expected 0 or more"


@dataclass(frozen=True)
class Setting(Generic[T]):
    """One setting: `read` gives its value, typed and checked, or the default when it is not
    set or empty (`-s NEWSBOT_DATA_DIR=` is the default data dir, not the file system's root)."""

    name: str
    default: T
    getter: Callable[[BaseSettings, str], T]
    expected: str  # what a usable value looks like, for the error message
    check: Callable[[T], str | None] | None = None

    def read(self, settings: BaseSettings) -> T:
        raw = settings.get(self.name)
        if raw is None or raw == "":
            return self.default
        try:
            value = self.getter(settings, self.name)
        except SettingError:
            raise
        except (ValueError, TypeError) as error:
            raise SettingError(f"{self.name}={raw!r}: expected {self.expected}") from error
        problem = self.check(value) if self.check is not None else None
        if problem:
            raise SettingError(f"{self.name}={raw!r}: {problem}")
        return value


def check_floor(floor: dict[str, Any]) -> dict[str, float]:
    """NEWSBOT_COVERAGE_FLOOR, checked: known fields, shares between 0 and 1."""
    checked: dict[str, float] = {}
    for name, value in floor.items():
        if name not in COVERAGE_FIELDS:
            raise ValueError(f"NEWSBOT_COVERAGE_FLOOR: unknown field {name!r} ({COVERAGE_FIELDS})")
        share = float(value)
        if not 0 <= share <= 1:
            raise ValueError(f"NEWSBOT_COVERAGE_FLOOR[{name!r}] = {value!r}: expected 0 to 1")
        checked[name] = share
    return checked


def _floor(settings: BaseSettings, name: str) -> dict[str, float]:
    try:
        return check_floor(settings.getdict(name))
    except (ValueError, TypeError) as error:
        raise SettingError(
            f"{name}={settings.get(name)!r}: expected a JSON object of shares such as "
            f'{{"body": 0.8}} ({error})'
        ) from None


_BOOL = "True or False"
_WHOLE = "a whole number"
_SECONDS = "a number of seconds"
_TEXT = "text"

# --- Where things go ---------------------------------------------------------------------------
# Feeds: <dir>/<site>/<kind>s-<time>.jsonl; reports: <dir>/<site>/reports/<time>.json.
# Relative paths are relative to the working directory.
DATA_DIR = Setting("NEWSBOT_DATA_DIR", "data", _text, "a folder")
# Crawl a mirror or a local copy instead of the live site (the spider argument base_url wins).
BASE_URL = Setting("NEWSBOT_BASE_URL", "", _text, "http://host[:port]")

# --- Scheduled and incremental crawls (newsbot.state.store) ------------------------------------
# The articles each site has emitted, one SQLite file per site. False: every run emits every
# article it finds.
STATE_ENABLED = Setting("NEWSBOT_STATE_ENABLED", True, BaseSettings.getbool, _BOOL)
# Empty: <NEWSBOT_DATA_DIR>/state.
STATE_DIR = Setting("NEWSBOT_STATE_DIR", "", _text, "a folder")
# The class whose from_settings(settings, site) opens a site's store.
STATE_STORE = Setting(
    "NEWSBOT_STATE_STORE", "newsbot.state.store.SQLiteStateStore", _text, "a class path"
)
# A state records the host it was filled from, and a crawl of another host with it stops (exit
# status 8): its ids would make the crawl skip articles it never emitted. Hosts (host[:port])
# listed here serve the same site and share a state:
# -s NEWSBOT_SAME_SITE_HOSTS=www.iribnews.ir,mirror.example.org:8080
SAME_SITE_HOSTS: Setting[list[str]] = Setting(
    "NEWSBOT_SAME_SITE_HOSTS", [], BaseSettings.getlist, "hosts, comma-separated"
)
# A page of an article id that gave no article (not an article, no body, the site's "no such
# article" page, 404) is remembered in the state, and the id is not fetched again for this many
# hours: a scheduled run fetches only what can change. 0: fetch such ids again every run.
DROPPED_RETRY_HOURS = Setting(
    "NEWSBOT_DROPPED_RETRY_HOURS", 24.0, BaseSettings.getfloat, "a number of hours", _zero_or_more
)
# Commit the state every this many articles or seconds (after fsyncing the feed they are in),
# and whenever a feed is closed. After a crash the rest is rebuilt from the feed's .part file.
STATE_COMMIT_EVERY = Setting(
    "NEWSBOT_STATE_COMMIT_EVERY", 100, BaseSettings.getint, _WHOLE, _positive
)
STATE_COMMIT_SECONDS = Setting(
    "NEWSBOT_STATE_COMMIT_SECONDS", 10.0, BaseSettings.getfloat, _SECONDS, _zero_or_more
)
# A backfill's walk through the archive stops after this many pages in a row without articles
# (or pages that failed), and in any case at NEWSBOT_ARCHIVE_MAX_PAGES.
ARCHIVE_EMPTY_PAGES = Setting(
    "NEWSBOT_ARCHIVE_EMPTY_PAGES", 3, BaseSettings.getint, _WHOLE, _positive
)
ARCHIVE_MAX_PAGES = Setting(
    "NEWSBOT_ARCHIVE_MAX_PAGES", 10000, BaseSettings.getint, _WHOLE, _positive
)

# Raw pages (newsbot.crawl.warc): every response as it came, into
# <NEWSBOT_DATA_DIR>/<site>/warc/<time>.warc.gz, for `newsbot reparse`.
WARC_ENABLED = Setting("NEWSBOT_WARC_ENABLED", False, BaseSettings.getbool, _BOOL)

# --- The crawl report (newsbot.crawl.report): <NEWSBOT_DATA_DIR>/<site>/reports/<time>.json ----
REPORT_ENABLED = Setting("NEWSBOT_REPORT_ENABLED", True, BaseSettings.getbool, _BOOL)
# A run whose field coverage (share of article pages with the field) falls below the floor exits
# with status 3, once it read at least NEWSBOT_COVERAGE_MIN_ARTICLES article pages. On the command
# line: -s 'NEWSBOT_COVERAGE_FLOOR={"title": 0.9, "body": 0.9, "lead": 0.5}'. The defaults catch
# a selector that stopped matching (coverage falls towards 0), not the odd page without a body:
# a deleted article, a photo page.
COVERAGE_FLOOR = Setting(
    "NEWSBOT_COVERAGE_FLOOR",
    {"title": 0.8, "body": 0.8, "published_at": 0.6},
    _floor,
    'a JSON object of shares such as {"body": 0.8}',
)
COVERAGE_MIN_ARTICLES = Setting(
    "NEWSBOT_COVERAGE_MIN_ARTICLES", 20, BaseSettings.getint, _WHOLE, _zero_or_more
)

# --- JavaScript pages through Splash (newsbot.scale.splash_rendering) --------------------------
# With SPLASH_URL set (e.g. http://127.0.0.1:8050), the page kinds of NEWSBOT_RENDER_JS (else the
# profile's render_js; checked as the spider argument render_js) are rendered by Splash; without
# it, everything is plain HTTP.
SPLASH_URL = Setting("SPLASH_URL", "", _text, "http://host:port")
RENDER_JS = Setting("NEWSBOT_RENDER_JS", "", _text, "page kinds, comma-separated")
# Seconds Splash waits after the page's load event, for scripts that fill blocks after it.
SPLASH_WAIT = Setting("NEWSBOT_SPLASH_WAIT", 0.5, BaseSettings.getfloat, _SECONDS, _zero_or_more)

# --- Several workers on one Redis (newsbot.scale.redis_workers) --------------------------------
# With REDIS_URL set (here, or in the environment, where a password stays out of `ps`), the
# scheduler, duplicate filter and crawl state go to Redis.
REDIS_URL = Setting("REDIS_URL", "", _text, "redis://[:password@]host:port/db")
# The run every worker of it shares (empty: a digest of the spider and its arguments).
RUN = Setting("NEWSBOT_RUN", "", _text, _TEXT)
# Seconds between a worker's heartbeats; a worker silent for the timeout is dead.
REDIS_HEARTBEAT = Setting(
    "NEWSBOT_REDIS_HEARTBEAT", 5.0, BaseSettings.getfloat, _SECONDS, _positive
)
REDIS_WORKER_TIMEOUT = Setting(
    "NEWSBOT_REDIS_WORKER_TIMEOUT", 30.0, BaseSettings.getfloat, _SECONDS, _positive
)
# The keys of a run no worker touches any more expire after this many seconds (7 days).
REDIS_RUN_TTL = Setting(
    "NEWSBOT_REDIS_RUN_TTL", 7 * 24 * 3600, BaseSettings.getint, _WHOLE, _positive
)
# Keys are <prefix>:<site>:state and <prefix>:<site>:run:<run>:*.
REDIS_PREFIX = Setting("NEWSBOT_REDIS_PREFIX", "newsbot", _text, _TEXT)

# All of the above, in the order declared.
SETTINGS: tuple[Setting[Any], ...] = tuple(
    value for value in list(globals().values()) if isinstance(value, Setting)
)


class NewsbotSettings:
    """The add-on (settings.ADDONS, first): newsbot's defaults at add-on priority, and every
    value checked once, before anything is fetched (SettingError: exit status 2)."""

    def update_settings(self, settings: BaseSettings) -> None:
        for setting in SETTINGS:
            settings.set(setting.name, copy.deepcopy(setting.default), priority="addon")
        for setting in SETTINGS:
            setting.read(settings)

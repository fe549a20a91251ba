"""The spider arguments (`-a name=value`, Scrapyd's `-d name=value`), as one typed model.

`SpiderArguments` is the one list of what a user may pass to a crawl: the spider validates its
arguments with it before anything is fetched (a bad one: SpiderArgumentError, exit status 2 and
one line, newsbot.commands.crawl), `scrapy crawl -h` lists its fields' descriptions, the crawl
report records its values, Redis workers name their run after them, and tests hold its JSON
Schema (tests/snapshots/spider_arguments.schema.json) and the README's table to it. Anything not
in it is refused (`extra="forbid"`): Scrapy would set an unknown argument on the spider, and
`-a name=../x` would move its feeds out of the data dir.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from typing import Any, Literal, Self, get_args

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_serializer,
    field_validator,
    model_validator,
)

from newsbot.crawl.backfill import DateRange
from newsbot.crawl.idwalk import IdRange, parse_desk, parse_id_ranges
from newsbot.items import MAIN_DESK
from newsbot.scale.splash_rendering import parse_render_kinds
from newsbot.sites.profiles import SiteProfile
from newsbot.sites.urls import CrawlScope, validate_base_url

Source = Literal["front", "rss", "archive", "ids"]
SOURCES: tuple[Source, ...] = get_args(Source)
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})


class SpiderArgumentError(ValueError):
    """A spider argument that cannot be used; raised before anything is fetched."""


class SpiderArguments(BaseModel):
    """The arguments of every site spider. Validated with the site's profile as context
    (`parse`), `feeds` and `render_js` not given are the profile's; `sources` not given is
    front and rss, or the archive for a backfill; `until` not given with `since` is today."""

    model_config = ConfigDict(extra="forbid", validate_default=False)

    base_url: str | None = Field(
        None,
        description="crawl a mirror or local copy (http://host:port) instead of the live site; "
        "links to the site's canonical hosts are mapped onto it. Default: the NEWSBOT_BASE_URL "
        "setting, else the live site.",
    )
    provinces: bool = Field(
        False,
        description="also follow the provincial desks on subdomains (their home pages, sections "
        "and articles). With base_url, base_url is an HTTP proxy answering for every host of the "
        "site (newsbot.sites.urls.CrawlScope). Default false.",
    )
    sources: frozenset[Source] | None = Field(
        None,
        description="where to find articles, comma-separated: front (home and section pages, "
        "whose lists are snapshotted), rss (the site's feeds), archive (the dated archive, for a "
        "backfill), ids (the id ranges of ids). Default front,rss; archive when since is given; "
        "ids when ids is given.",
    )
    since: str | None = Field(
        None,
        description="backfill from this Jalali day (1402-03-01), included. Only articles "
        "published in the range are emitted.",
    )
    until: str | None = Field(
        None, description="backfill up to this Jalali day, included. Default: today."
    )
    refresh_hours: float = Field(
        0.0,
        description="fetch again articles first seen less than this many hours ago; one whose "
        "title, lead or body changed is emitted again as its next revision. Default 0.",
    )
    feeds: tuple[str, ...] | None = Field(
        None,
        description="the feeds to read (site paths, comma-separated). Default: the profile's.",
    )
    render_js: frozenset[Literal["front", "archive", "article"]] | None = Field(
        None,
        description="page kinds to render through Splash when SPLASH_URL is set (front, "
        "archive, article, or none). Default: NEWSBOT_RENDER_JS, else the profile's.",
    )
    served_on: date | None = Field(
        None,
        description="read every page with the site's theme of this Gregorian day (YYYY-MM-DD), "
        "for a copy of the site saved then. Default: the day each page is fetched.",
    )
    comments: bool = Field(
        True,
        description="emit the readers' comments of the articles (true or false). Default true.",
    )
    ids: str | None = Field(
        None,
        description="backfill news ids: /fa/news/<id> for every id of these ranges "
        "(3900001-3900500, comma-separated), newest first (newsbot.crawl.idwalk). Default "
        "sources then: ids.",
    )
    desk: str | None = Field(
        None,
        description="the desk whose ids the ids ranges are: www (the main site) or a provincial "
        "desk (yazd). Default www.",
    )
    ids_retry: bool = Field(
        False,
        description="fetch again the ids an earlier walk tried and found missing (404, ...), and "
        "walk each range from its newest id. Default false.",
    )
    # Scrapyd gives every crawl it runs its job id; not for users.
    job: str | None = Field(None, alias="_job", description="Scrapyd's job id.")

    _date_range: DateRange | None = PrivateAttr(None)
    _scope: CrawlScope | None = PrivateAttr(None)
    _id_ranges: tuple[IdRange, ...] = PrivateAttr(())

    @classmethod
    def parse(cls, spider: str, arguments: dict[str, Any], profile: SiteProfile) -> Self:
        """The arguments of `spider` for the site of `profile`, or SpiderArgumentError naming
        the spider and the first problem in one line."""
        try:
            return cls.model_validate(arguments, context={"profile": profile})
        except ValidationError as error:
            raise SpiderArgumentError(f"{spider}: {first_problem(error)}") from None

    @property
    def date_range(self) -> DateRange | None:
        return self._date_range

    @property
    def id_ranges(self) -> tuple[IdRange, ...]:
        return self._id_ranges

    @property
    def walk_desk(self) -> str:
        """The desk whose ids the id ranges are (`www` when not given)."""
        return self.desk or MAIN_DESK

    @property
    def scope(self) -> CrawlScope:
        """The hosts the crawl fetches from (base_url, provinces and the site's profile)."""
        if self._scope is None:
            raise ValueError("the arguments were not validated with the site's profile")
        return self._scope

    def for_the_record(self) -> dict[str, Any]:
        """Every argument as the crawl used it, for the crawl report and the Redis run name."""
        return self.model_dump(mode="json", by_alias=True)

    @field_validator("base_url", mode="before")
    @classmethod
    def _base_url(cls, value: Any) -> str | None:
        return validate_base_url(value) if value else None

    @field_validator("provinces", "comments", "ids_retry", mode="before")
    @classmethod
    def _flag(cls, value: Any, info: ValidationInfo) -> bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        raise ValueError(f"spider argument {info.field_name}={value!r}: expected true or false")

    @field_validator("sources", mode="before")
    @classmethod
    def _sources(cls, value: Any) -> frozenset[str]:
        if not isinstance(value, str):
            return frozenset(value)
        names = [name.strip().lower() for name in value.split(",") if name.strip()]
        if not names or any(name not in SOURCES for name in names):
            raise ValueError(f"sources={value!r}: expected a comma-separated subset of {SOURCES}")
        return frozenset(names)

    @field_validator("refresh_hours", mode="before")
    @classmethod
    def _hours(cls, value: Any, info: ValidationInfo) -> float:
        try:
            hours = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{info.field_name}={value!r}: expected a number of hours") from None
        if not 0 <= hours < math.inf:
            raise ValueError(f"{info.field_name}={value!r}: expected a number of hours, 0 or more")
        return hours

    @field_validator("feeds", mode="before")
    @classmethod
    def _paths(cls, value: Any, info: ValidationInfo) -> tuple[str, ...]:
        """Site paths, each starting with one '/': `/fa/rss/allnews,/fa/rss/5`."""
        if not isinstance(value, str):
            return tuple(value)
        paths = tuple(path.strip() for path in value.split(",") if path.strip())
        bad = [path for path in paths if not path.startswith("/") or path.startswith("//")]
        if bad or not paths:
            raise ValueError(
                f"{info.field_name}={value!r}: expected site paths such as /fa/rss/allnews"
            )
        return paths

    @field_validator("served_on", mode="before")
    @classmethod
    def _served_on(cls, value: Any) -> date:
        """`-a served_on=2018-03-18`: the Gregorian day a saved copy of the site was fetched,
        whose theme reads its pages (newsbot.sites.profiles: SiteProfile.theme_on)."""
        if isinstance(value, date):
            return value
        try:
            day = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(f"served_on={value!r}: expected a Gregorian day, YYYY-MM-DD") from None
        if day > datetime.now(UTC).date():
            raise ValueError(f"served_on={value!r} is after today")
        return day

    @field_validator("render_js", mode="before")
    @classmethod
    def _render_kinds(cls, value: Any) -> frozenset[str]:
        return parse_render_kinds(value) if isinstance(value, str) else frozenset(value)

    @model_validator(mode="after")
    def _resolve(self, info: ValidationInfo) -> Self:
        """What depends on more than one argument, or on the site's profile."""
        self._id_ranges = parse_id_ranges(self.ids)
        profile = (info.context or {}).get("profile")
        if isinstance(profile, SiteProfile):
            self.desk = parse_desk(self.desk, profile)
            # A desk's ids are on the desk's host.
            regional = self.provinces or self.walk_desk != MAIN_DESK
            self._scope = CrawlScope(profile, base_url=self.base_url, regional=regional)
        self._date_range = DateRange.parse(self.since, self.until)
        backfill = self._date_range is not None
        if self._date_range is not None:
            self.since, self.until = self._date_range.since, self._date_range.until
        if self.sources is None:
            default = {"ids"} if self._id_ranges else {"archive"} if backfill else {"front", "rss"}
            self.sources = frozenset(default)  # type: ignore[arg-type]
        elif "archive" in self.sources and not backfill:
            raise ValueError("sources=archive needs a date range: since=1402-03-01 [until=...]")
        elif "ids" in self.sources and not self._id_ranges:
            raise ValueError("sources=ids needs id ranges: ids=3900001-3900500")
        if isinstance(profile, SiteProfile):
            if self.feeds is None:
                self.feeds = profile.feed_paths
            if self.render_js is None:
                self.render_js = frozenset(profile.render_js)  # type: ignore[arg-type]
        return self

    @field_serializer("sources", "render_js")
    def _sorted(self, kinds: frozenset[str] | None) -> list[str] | None:
        return sorted(kinds) if kinds is not None else None


class FamilyArguments(SpiderArguments):
    """The arguments of `scrapy crawl iransamaneh` (newsbot.crawl.family): the site's, and
    which site."""

    site: str = Field(
        description="iransamaneh only, required: the site to crawl, a catalog name (aftabnews) "
        "or a host (aftabnews.ir, www.aftabnews.ir).",
    )


def first_problem(error: ValidationError) -> str:
    """One line for a ValidationError: the arguments not in the model, else the first problem
    (our validators' own message, which names the argument and its value)."""
    problems = error.errors()
    unknown = [str(p["loc"][0]) for p in problems if p["type"] == "extra_forbidden"]
    if unknown:
        return f"unknown spider argument {', '.join(sorted(unknown))!r}"
    problem = problems[0]
    cause = (problem.get("ctx") or {}).get("error")
    if isinstance(cause, ValueError):
        return str(cause)
    where = ".".join(map(str, problem["loc"]))
    return f"{where}={problem.get('input')!r}: {problem['msg']}"


def argument_help(model: type[SpiderArguments] = FamilyArguments) -> dict[str, str]:
    """Each argument a user gives and what it does (`scrapy crawl -h`), in the model's order."""
    return {
        field.alias or name: field.description or ""
        for name, field in model.model_fields.items()
        if not (field.alias or name).startswith("_")
    }

"""The pure steps every record goes through, in a crawl and in `newsbot extract` alike:
normalise the text, date it, check it against the schema."""

from __future__ import annotations

import re
from dataclasses import fields, replace
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from newsbot.extract.reasons import DropReason
from newsbot.items import REQUIRED_FIELDS, Article, BodyBlock, Comment, Image, Listing, Precision
from newsbot.schema import RecordInvalid, validate_record
from newsbot.text.jalali import TEHRAN, format_jalali, parse_jalali, to_iso
from newsbot.text.persian import normalize

_Dated = TypeVar("_Dated", Article, Comment)

COMMENT_REQUIRED_FIELDS = ("news_id", "text")
# 2023-05-30T12:27:00+03:30 (seconds, fractions and a Z optional); years below are Jalali.
_ISO_MOMENT = re.compile(
    r"(?P<year>[0-9]{4})-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})"
)
_FIRST_GREGORIAN_YEAR = 1700
# A record's fields in their order, as the feed exporter writes them.
_FIELD_NAMES = {kind: tuple(f.name for f in fields(kind)) for kind in (Article, Listing, Comment)}


class RecordRejected(ValueError):
    """A record that must not be published; `reason` is a short stable key for stats."""

    def __init__(self, reason: DropReason | str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def normalized_article(article: Article) -> Article:
    return replace(
        article,
        title=normalize(article.title),
        kicker=_normalized_or_none(article.kicker),
        lead=_normalized_or_none(article.lead),
        body=normalize(article.body),
        body_blocks=_normalized_blocks(article.body_blocks),
        section=_normalized_list(article.section),
        tags=_normalized_list(article.tags),
        images=[Image(url=i["url"], alt=_normalized_or_none(i["alt"])) for i in article.images],
    )


def normalized_listing(listing: Listing) -> Listing:
    entries = [entry | {"title": normalize(entry["title"])} for entry in listing.entries]
    return replace(listing, entries=entries)


def normalized_comment(comment: Comment) -> Comment:
    return replace(
        comment, author=_normalized_or_none(comment.author), text=normalize(comment.text)
    )


def dated_article(article: Article) -> Article:
    """Fill published_at, published_at_jalali, published_at_utc and published_precision from
    published_at_raw: a Jalali date as pages show it, or a Gregorian ISO 8601 time with offset
    as page metadata gives it.

    Raises JalaliDateError for a time that cannot be read or does not exist: a wrong date is
    worse than none, so nothing is guessed. Relative times resolve against the crawl time.
    """
    return _dated(article)


def dated_comment(comment: Comment) -> Comment:
    """A comment's time, as dated_article dates an article (and with its errors)."""
    return _dated(comment)


def _dated(record: _Dated) -> _Dated:
    if record.published_at_raw is None:
        return record
    value = _metadata_moment(record.published_at_raw) or parse_jalali(
        record.published_at_raw, now=datetime.fromisoformat(record.crawled_at)
    )
    return replace(
        record,
        published_at=to_iso(value),
        published_at_jalali=format_jalali(value),
        published_at_utc=_utc_iso(value),
        published_precision=_precision(value),
    )


def _utc_iso(value: datetime | date) -> str | None:
    """The moment in UTC, `2023-06-08T07:50:00Z`; None for a day, which is no moment (a
    Tehran day is not the UTC day of the same date, and midnight would be a guess)."""
    if not isinstance(value, datetime):
        return None
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _precision(value: datetime | date) -> Precision:
    """How exact the date read is: a day, or a time to the minute, or with seconds (pages
    rarely show them; format_jalali writes them on the same rule)."""
    if not isinstance(value, datetime):
        return "day"
    return "second" if value.second else "minute"


def _metadata_moment(text: str) -> datetime | None:
    """A Gregorian ISO 8601 time with its offset, as page metadata writes it
    (`datePublished`, `article:published_time`), in Tehran time; None for anything else
    (a date without a time or offset, or a Jalali year in ISO form, is left to parse_jalali,
    which reads the latter as the Jalali date it is)."""
    match = _ISO_MOMENT.fullmatch(text.strip())
    if match is None or int(match["year"]) < _FIRST_GREGORIAN_YEAR:
        return None
    try:
        return datetime.fromisoformat(match.group()).astimezone(TEHRAN)
    except ValueError:
        return None  # an impossible day or hour: parse_jalali names the problem


def checked_record(item: Article | Listing | Comment) -> dict[str, Any]:
    """The record as it will be written, once it has every required field and fits the schema.

    Raises RecordRejected naming the first missing field, or the schema violation.
    """
    # The record's own fields, not a deep copy (dataclasses.asdict): checking reads them, and
    # the feed exporter serialises the item itself, once.
    record = {name: getattr(item, name) for name in _FIELD_NAMES[type(item)]}
    required = (
        REQUIRED_FIELDS
        if isinstance(item, Article)
        else COMMENT_REQUIRED_FIELDS
        if isinstance(item, Comment)
        else ()
    )
    for name in required:
        if not record[name]:
            raise RecordRejected(DropReason.MISSING.key(name), getattr(item, "url", ""))
    try:
        validate_record(record)
    except RecordInvalid as error:
        raise RecordRejected(DropReason.INVALID_RECORD, str(error)) from error
    return record


def _normalized_blocks(blocks: list[BodyBlock]) -> list[BodyBlock]:
    """Blocks with their text normalised; a paragraph or link left without text goes (one of
    invisible characters only, which the body loses too)."""
    normalized: list[BodyBlock] = []
    for block in blocks:
        if block["type"] == "image":
            alt, caption = _normalized_or_none(block["alt"]), _normalized_or_none(block["caption"])
            normalized.append(block | {"alt": alt, "caption": caption})
        elif block["type"] == "video":
            normalized.append(block)
        elif text := normalize(block["text"]):
            links = [
                link | {"text": link_text}
                for link in block["links"]
                if (link_text := normalize(link["text"]))
            ]
            normalized.append(block | {"text": text, "links": links})
    return normalized


def _normalized_or_none(text: str | None) -> str | None:
    return (normalize(text) or None) if text else None


def _normalized_list(texts: list[str]) -> list[str]:
    return [t for t in map(normalize, texts) if t]

"""The spider arguments as one typed model (newsbot.crawl.arguments): what users may pass is
changed only on purpose, and the help, the README and the report follow the model."""

import json
import re
from pathlib import Path

import pytest

from newsbot.crawl.arguments import (
    FamilyArguments,
    SpiderArgumentError,
    SpiderArguments,
    argument_help,
)
from newsbot.scale.splash_rendering import RENDERABLE_KINDS
from newsbot.sites.profiles import IRIBNEWS
from newsbot.spiders.iribnews import IribnewsSpider

PROJECT_DIR = Path(__file__).resolve().parent.parent
# Checked by hand when written: a change to what users may pass shows here first. The schema is
# of the values after parsing (`sources=front,rss` becomes ["front", "rss"]).
SNAPSHOT = Path(__file__).parent / "snapshots" / "spider_arguments.schema.json"


def test_the_json_schema_of_the_arguments_is_the_snapshot() -> None:
    assert FamilyArguments.model_json_schema() == json.loads(SNAPSHOT.read_text("utf-8"))


def test_the_readme_table_lists_the_site_spiders_arguments() -> None:
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    table = readme.split("Spider arguments (`-a name=value`", 1)[1].split("\n\n", 2)[1]
    names = [
        name for row in table.splitlines()[2:] for name in re.findall(r"`(\w+)`", row.split("|")[1])
    ]
    assert names == list(argument_help(SpiderArguments))


def test_every_argument_is_recorded_as_the_crawl_used_it() -> None:
    spider = IribnewsSpider(
        base_url="http://127.0.0.1:8000/", provinces="yes", since="1402-03-01", _job="abc"
    )
    recorded = spider.arguments.for_the_record()
    assert recorded == {
        "base_url": "http://127.0.0.1:8000",
        "provinces": True,
        "sources": ["archive"],
        "since": "1402-03-01",
        "until": recorded["until"],  # today
        "refresh_hours": 0.0,
        "feeds": list(IRIBNEWS.feed_paths),
        "render_js": [],
        "served_on": None,
        "comments": True,
        "ids": None,
        "desk": "www",
        "ids_retry": False,
        "_job": "abc",
    }
    json.dumps(recorded)  # as the report writes it


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"job": "x"}, "iribnews: unknown spider argument 'job'"),  # only Scrapyd's `_job`
        ({"site": "tabnak.ir"}, "iribnews: unknown spider argument 'site'"),  # iransamaneh's
        ({"b": "1", "a": "2"}, "iribnews: unknown spider argument 'a, b'"),
        ({"refresh_hours": "soon"}, "iribnews: refresh_hours='soon': expected a number of hours"),
    ],
)
def test_a_bad_argument_is_one_line_naming_it(arguments: dict[str, str], message: str) -> None:
    with pytest.raises(SpiderArgumentError) as refused:
        IribnewsSpider(**arguments)
    assert str(refused.value) == message


def test_a_positional_argument_is_refused() -> None:
    with pytest.raises(SpiderArgumentError, match="unknown spider argument 'x'"):
        IribnewsSpider("x")


def test_render_js_names_the_page_kinds_a_browser_renders() -> None:
    schema = FamilyArguments.model_json_schema()["properties"]["render_js"]
    assert tuple(schema["anyOf"][0]["items"]["enum"]) == RENDERABLE_KINDS

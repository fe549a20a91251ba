"""newsbot's settings, declared once (newsbot.crawl.config): defaults at add-on priority, every
value checked once, and no setting read anywhere with a fallback of its own."""

import re
from pathlib import Path

import pytest
from scrapy.settings import Settings

from newsbot import settings as project_settings
from newsbot.crawl import config
from newsbot.crawl.config import SETTINGS, NewsbotSettings, SettingError

PROJECT_DIR = Path(__file__).resolve().parent.parent
DECLARED = {setting.name for setting in SETTINGS}


def project(**values: object) -> Settings:
    """The project's settings with the add-ons' defaults applied, as a crawl has them."""
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    for name, value in values.items():
        settings.set(name, value, priority="cmdline")
    NewsbotSettings().update_settings(settings)
    return settings


def test_every_default_is_set_at_addon_priority_and_passes_its_own_check() -> None:
    settings = project()
    for setting in SETTINGS:
        assert settings.getpriority(setting.name) == 15, setting.name  # "addon"
        assert setting.read(settings) == setting.default
    assert project(NEWSBOT_ARCHIVE_MAX_PAGES="7").getint("NEWSBOT_ARCHIVE_MAX_PAGES") == 7


def test_settings_py_declares_no_newsbot_setting_of_its_own() -> None:
    # A value there would be a second default, hiding the declared one.
    assert not DECLARED & set(dir(project_settings))


def test_the_settings_read_before_now_undeclared_are_declared() -> None:
    assert config.REDIS_PREFIX.read(Settings()) == "newsbot"
    assert config.REDIS_RUN_TTL.read(Settings()) == 7 * 24 * 3600
    assert config.REDIS_RUN_TTL.read(Settings({"NEWSBOT_REDIS_RUN_TTL": "60"})) == 60


def test_an_empty_value_is_the_default() -> None:
    # `-s NEWSBOT_DATA_DIR=` writes to data/, not to the file system's root.
    assert config.DATA_DIR.read(Settings({"NEWSBOT_DATA_DIR": ""})) == "data"


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("NEWSBOT_ARCHIVE_MAX_PAGES", "many", "NEWSBOT_ARCHIVE_MAX_PAGES='many': expected a whole"),
        ("NEWSBOT_STATE_COMMIT_EVERY", "0", "NEWSBOT_STATE_COMMIT_EVERY='0': expected more than 0"),
        ("NEWSBOT_REDIS_RUN_TTL", "1.5", "NEWSBOT_REDIS_RUN_TTL='1.5': expected a whole number"),
        ("NEWSBOT_STATE_ENABLED", "maybe", "NEWSBOT_STATE_ENABLED='maybe': expected True or False"),
        ("NEWSBOT_SPLASH_WAIT", "-1", "NEWSBOT_SPLASH_WAIT='-1': expected 0 or more"),
        ("NEWSBOT_COVERAGE_FLOOR", '{"bodyy": 1}', "unknown field 'bodyy'"),
    ],
)
def test_a_value_that_cannot_be_used_stops_the_crawl_before_it_starts(
    name: str, value: str, message: str
) -> None:
    with pytest.raises(SettingError, match=re.escape(message)):
        project(**{name: value})


def test_no_setting_is_read_with_a_fallback_of_its_own() -> None:
    # Every setting newsbot names is declared; none is read but through its declaration.
    for path in (PROJECT_DIR / "newsbot").rglob("*.py"):
        if path.name in ("config.py", "settings.py"):
            continue
        source = path.read_text(encoding="utf-8")
        for name in re.findall(r"\bNEWSBOT_[A-Z_]*[A-Z]\b", source):
            assert name in DECLARED, f"{path}: {name} is not declared in newsbot.crawl.config"
        reads = re.findall(r"settings(?:\.get\w*\(|\[)\s*['\"]([A-Z_]+)['\"]", source)
        assert not DECLARED & set(reads), f"{path} reads {DECLARED & set(reads)} directly"


def test_the_readme_names_only_declared_settings() -> None:
    readme = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")
    environment = {"NEWSBOT_SCRAPYD_URL", "NEWSBOT_REQUIRE_SERVICES"}  # not settings
    named = set(re.findall(r"\bNEWSBOT_[A-Z_]*[A-Z]\b", readme)) - environment
    assert named <= DECLARED, named - DECLARED

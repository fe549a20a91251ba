"""The layering at run time: what Python really loads, which the import-linter contracts in
pyproject.toml cannot see (they read newsbot's own imports; a third-party package that
imports Scrapy, as itemadapter does whenever Scrapy is installed, is a leaf to them)."""

import json
import subprocess
import sys

# The crawler's packages: none of them may load for the pure layers or the text tools.
CRAWLER_PACKAGES = {"scrapy", "twisted", "scrapy_redis", "scrapy_splash"}
PURE_LAYERS = ("newsbot.text", "newsbot.sites", "newsbot.extract")


def imported_modules(*args: str, stdin: bytes = b"") -> set[str]:
    """The modules `python -X importtime ARGS` imports (its report on stderr, one a line:
    `import time: self | cumulative | name`, indented by nesting)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        check=True,
    )
    return {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.decode().splitlines()
        if line.startswith("import time:") and "|" in line
    }


def crawler_modules(modules: set[str]) -> list[str]:
    return sorted(name for name in modules if name.split(".")[0] in CRAWLER_PACKAGES)


def test_newsbot_date_starts_without_scrapy() -> None:
    modules = imported_modules("-m", "newsbot.tools.cli", "date", "۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷")
    assert "newsbot.text.jalali" in modules  # the report was read
    assert crawler_modules(modules) == []


def test_newsbot_normalize_starts_without_scrapy() -> None:
    modules = imported_modules("-m", "newsbot.tools.cli", "normalize", stdin="كتاب".encode())
    assert "newsbot.text.persian" in modules
    assert crawler_modules(modules) == []


def test_the_pure_layers_load_no_crawler_module() -> None:
    # Every module of the pure layers, imported in a fresh interpreter.
    program = (
        "import importlib, json, pkgutil, sys\n"
        f"for name in {PURE_LAYERS!r}:\n"
        "    package = importlib.import_module(name)\n"
        "    for module in pkgutil.walk_packages(package.__path__, name + '.'):\n"
        "        importlib.import_module(module.name)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, timeout=60, check=True
    )
    modules = set(json.loads(done.stdout))
    assert {"newsbot.extract.article", "newsbot.extract.records", "newsbot.sites.urls"} <= modules
    assert crawler_modules(modules) == []

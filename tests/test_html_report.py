"""`newsbot report`: the HTML report of two crawls of the snapshot, opened in a real browser.

Headless Chromium (Debian's, installed by scripts/install-services.sh) loads the file from disk
with no network; the page's own script records what each chart drew (the SVG marks with a
non-empty box, as laid out by the browser) and any script error. The test also saves a
screenshot. Without Chromium the browser tests skip with the reason, unless
NEWSBOT_REQUIRE_SERVICES is set (CI), where they fail.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from newsbot.tools.cli import main
from snapshot.crawl import crawl_snapshot
from snapshot.server import SnapshotServer
from tests.services import unavailable

# Every test here reads the report of two crawls in a subprocess.
pytestmark = pytest.mark.e2e
SITE = "iribnews"
CHARTS = (
    "per-day", "per-hour", "timeline-most_viewed", "timeline-most_discussed", "health-pages",
    "health-articles", "health-drops", "health-coverage",
)  # fmt: skip


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("data")
    with SnapshotServer() as server:
        for _ in range(2):
            crawl = crawl_snapshot(data, server=server)
            assert crawl.returncode == 0, crawl.log
    output = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", str(data), "--site", SITE, "-o", str(output)]) == 0
    return output


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        unavailable("Chromium is not installed")
    return found


def run_chromium(page: Path, profile: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = [
        chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--no-first-run", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
        *arguments, page.as_uri(),
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def drawn(dom: str) -> dict[str, int]:
    return {
        name: int(count)
        for name, count in re.findall(r'<svg data-chart="([^"]+)"[^>]*data-drawn="(\d+)"', dom)
    }


def test_the_report_is_one_offline_file_in_persian(report: Path) -> None:
    page = report.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fa" dir="rtl">' in page
    # Nothing to fetch: no external script, stylesheet, image or font.
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert [name for name in CHARTS if f'data-chart="{name}"' not in page] == []
    assert "پربازدیدترین‌ها" in page and "گشایش سه کتابخانه عمومی تازه در استان" in page
    assert "به وقت تهران" in page


@pytest.mark.requires_chromium
def test_chromium_draws_every_chart_without_a_script_error(report: Path, tmp_path: Path) -> None:
    done = run_chromium(report, tmp_path / "profile", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    [root] = re.findall(r"<html[^>]*>", dom)
    assert 'data-ready="1"' in root, "the page's script did not run to its end"
    assert "data-errors" not in root
    assert "Uncaught" not in done.stderr
    counts = drawn(dom)
    assert set(counts) == set(CHARTS)
    assert all(count > 0 for count in counts.values()), counts
    # Two runs, one line per story: the top five of each list, two snapshots each.
    assert counts["timeline-most_viewed"] == counts["timeline-most_discussed"] == 5
    assert counts["per-hour"] == 17  # the hours of the day the snapshot's articles were published


@pytest.mark.requires_chromium
def test_a_script_error_is_caught(report: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    page = report.read_text("utf-8").replace("</body>", "<script>undefinedCall();</script></body>")
    broken.write_text(page, "utf-8")
    done = run_chromium(broken, tmp_path / "profile", "--dump-dom")
    [root] = re.findall(r"<html[^>]*>", done.stdout)
    assert 'data-errors="Uncaught ReferenceError: undefinedCall is not defined"' in root


@pytest.mark.requires_chromium
def test_chromium_saves_a_screenshot(report: Path, tmp_path: Path) -> None:
    screenshot = tmp_path / "report.png"
    done = run_chromium(
        report, tmp_path / "profile", f"--screenshot={screenshot}", "--window-size=1000,2400"
    )
    assert done.returncode == 0, done.stderr[-2000:]
    data = screenshot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1000, 2400)
    assert len(data) > 50_000  # charts and text, not a blank page (a blank one is ~10 KB)

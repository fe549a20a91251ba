"""Deployment to a real Scrapyd, by the README's own commands: its "Deploying to Scrapyd" shell
blocks (deploy, schedule, watch) run as written in bash, with three substitutions only: the
test's Scrapyd address for 127.0.0.1:6800, a temporary data dir for /srv/newsbot/data, and a
`base_url` spider argument, so the job crawls the loopback snapshot, never the live site.
Jobs that fail (a bad argument, a state another job holds) are scheduled beside it, and each
job's log must say how it ended."""

import base64
import json
import os
import re
import subprocess
import sys
import textwrap
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from snapshot.crawl import PROJECT_DIR
from snapshot.server import SnapshotServer
from tests.services import scrapyd_server

pytestmark = [pytest.mark.e2e, pytest.mark.requires_scrapyd]

USER, PASSWORD = "newsbot", "test-only-secret"
README = (PROJECT_DIR / "README.md").read_text(encoding="utf-8")


def call(url: str, data: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    request = urllib.request.Request(
        url, data=urllib.parse.urlencode(data).encode() if data else None
    )
    token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    request.add_header("Authorization", f"Basic {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        answer: dict[str, Any] = json.load(response)
    assert answer["status"] == "ok", answer
    return answer


def readme_blocks() -> list[str]:
    """The README's shell blocks for Scrapyd, in order: deploy, schedule, watch."""
    section = README.split("\n## Deploying to Scrapyd\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^( *)```sh\n(.*?)^\1```$", section, re.MULTILINE | re.DOTALL)
    return [textwrap.dedent(block) for _, block in blocks]


def run_block(block: str, env: dict[str, str], stdin: str = "") -> str:
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block],
        input=stdin,
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, block + done.stdout + done.stderr
    return done.stdout + done.stderr


def wait_until_finished(scrapyd: str, jobs: list[str]) -> None:
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        listed = call(f"{scrapyd}/listjobs.json?project=newsbot")
        if set(jobs) <= {finished["id"] for finished in listed["finished"]}:
            return
        time.sleep(0.5)
    raise AssertionError(f"jobs {jobs} did not finish: {listed}")


def test_the_readme_commands_deploy_schedule_and_show_how_each_job_ended(tmp_path: Path) -> None:
    deploy, schedule, watch = readme_blocks()
    assert "--data-urlencode setting=USER_AGENT=" in schedule
    logs = tmp_path / "scrapyd" / "logs" / "newsbot" / "iribnews"
    data_dir = tmp_path / "data"
    with scrapyd_server(tmp_path / "scrapyd", USER, PASSWORD) as scrapyd, SnapshotServer() as site:
        # Without credentials Scrapyd refuses: the recipe's authentication is really on.
        try:
            urllib.request.urlopen(f"{scrapyd}/listprojects.json", timeout=10)
            raise AssertionError("Scrapyd answered without credentials")
        except urllib.error.HTTPError as error:
            assert error.code == 401

        def as_tested(block: str) -> str:
            for documented, tested in {
                "http://127.0.0.1:6800": scrapyd,
                "/srv/newsbot/data": str(data_dir),
                "-d spider=iribnews": f"-d spider=iribnews -d base_url={site.base_url}",
            }.items():
                block = block.replace(documented, tested)
            return block

        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
        # Step 3: the password is read from the terminal, here from stdin.
        deployed = run_block(as_tested(deploy), env, stdin=f"{PASSWORD}\n")
        assert '"status": "ok"' in deployed
        assert "iribnews" in call(f"{scrapyd}/listspiders.json?project=newsbot")["spiders"]

        env |= {"NEWSBOT_SCRAPYD_URL": scrapyd, "SCRAPYD_PASSWORD": PASSWORD}
        assert "/srv/newsbot/data" in schedule and "-d spider=iribnews" in schedule
        good = json.loads(run_block(as_tested(schedule), env))["jobid"]
        # While it holds the site's state, a second job of the site, and one with a bad date.
        deadline = time.monotonic() + 60
        while "Crawl state: 0 ids known" not in _read(logs / f"{good}.log"):
            assert time.monotonic() < deadline, "the first job did not start"
            time.sleep(0.2)
        arguments = [
            ("project", "newsbot"),
            ("spider", "iribnews"),
            ("base_url", site.base_url),
            ("setting", f"NEWSBOT_DATA_DIR={data_dir}"),
        ]
        locked = call(f"{scrapyd}/schedule.json", arguments)["jobid"]
        bad = call(f"{scrapyd}/schedule.json", [*arguments, ("since", "1402-12-30")])["jobid"]
        wait_until_finished(scrapyd, [good, locked, bad])
        watched = run_block(watch, env).splitlines()

    # Step 5: the last line of each job's log says how it ended.
    ended = {
        line.split(": ", 1)[0].rsplit("/", 1)[-1].removesuffix(".log"): line for line in watched
    }
    assert set(ended) == {good, locked, bad}
    assert ended[good].endswith("[newsbot.crawl.report] INFO: Crawl status: ok (exit status 0)")
    assert re.search(
        rf"ERROR: scrapy crawl: error: another crawl \(pid \d+\) holds {data_dir}/iribnews/\.lock;"
        r".* \(exit status 1\)$",
        ended[locked],
    )
    assert ended[bad].endswith(
        "ERROR: scrapy crawl: error: iribnews: since='1402-12-30': day 30 does not exist in "
        "Esfand 1402 (exit status 2)"
    )

    log = (logs / f"{good}.log").read_text("utf-8")
    # --data-urlencode kept the '+' of the user agent (curl -d would have made it a space).
    assert "'USER_AGENT': 'newsbot (+mailto:you@example.org)'" in log
    assert "Spider closed (finished)" in log
    assert "'newsbot/dropped/not_an_article': 1" in log
    # The crawl report's summary ends the job's log.
    tail = log.rstrip().splitlines()[-3:]
    assert "INFO: Crawl report (finished): pages article 38, feed 1, front 8;" in tail[0]
    records = [
        json.loads(line)
        for line in (tmp_path / "scrapyd" / "items" / "newsbot" / "iribnews" / f"{good}.jl")
        .read_text("utf-8")
        .splitlines()
    ]
    truth = json.loads((PROJECT_DIR / "snapshot" / "truth.json").read_text("utf-8"))
    articles = sorted(record["news_id"] for record in records if record["type"] == "article")
    assert articles == sorted(map(int, truth["articles"]))
    assert sum(record["type"] == "listing" for record in records) == len(truth["listings"])


def _read(path: Path) -> str:
    return path.read_text("utf-8") if path.exists() else ""

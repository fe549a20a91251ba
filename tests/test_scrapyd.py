"""Deployment to a real Scrapyd: scrapyd-deploy builds and uploads the project egg, schedule.json
runs iribnews on the loopback snapshot with spider arguments and settings, and the items and
log Scrapyd keeps are checked."""

import base64
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from snapshot.crawl import LOCAL_SETTINGS, PROJECT_DIR
from snapshot.server import SnapshotServer
from tests.services import scrapyd_server

pytestmark = [pytest.mark.e2e, pytest.mark.requires_scrapyd]

USER, PASSWORD = "newsbot", "test-only-secret"


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


def test_deploy_schedule_and_collect(tmp_path: Path) -> None:
    with scrapyd_server(tmp_path / "scrapyd", USER, PASSWORD) as scrapyd, SnapshotServer() as site:
        # Without credentials Scrapyd refuses: the recipe's authentication is really on.
        try:
            urllib.request.urlopen(f"{scrapyd}/listprojects.json", timeout=10)
            raise AssertionError("Scrapyd answered without credentials")
        except urllib.error.HTTPError as error:
            assert error.code == 401

        env = {
            **os.environ,
            "NEWSBOT_SCRAPYD_URL": scrapyd,
            "SCRAPYD_USERNAME": USER,
            "SCRAPYD_PASSWORD": PASSWORD,
        }
        deploy = subprocess.run(
            [sys.executable, "-m", "scrapyd_client.deploy", "env", "--version", "r1"],
            cwd=PROJECT_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert deploy.returncode == 0, deploy.stdout + deploy.stderr
        assert '"status": "ok"' in deploy.stdout + deploy.stderr
        assert call(f"{scrapyd}/listspiders.json?project=newsbot")["spiders"][:1] != []
        assert "iribnews" in call(f"{scrapyd}/listspiders.json?project=newsbot")["spiders"]

        data_dir = tmp_path / "data"
        settings = {
            **LOCAL_SETTINGS,
            "NEWSBOT_DATA_DIR": str(data_dir),
            "NEWSBOT_STATE_DIR": str(data_dir / "state"),
        }
        job = call(
            f"{scrapyd}/schedule.json",
            [("project", "newsbot"), ("spider", "iribnews"), ("base_url", site.base_url)]
            + [("setting", f"{name}={value}") for name, value in settings.items()],
        )["jobid"]
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            jobs = call(f"{scrapyd}/listjobs.json?project=newsbot")
            if any(finished["id"] == job for finished in jobs["finished"]):
                break
            time.sleep(0.5)
        else:
            raise AssertionError(f"job {job} did not finish: {jobs}")

    log = (tmp_path / "scrapyd" / "logs" / "newsbot" / "iribnews" / f"{job}.log").read_text("utf-8")
    assert "Spider closed (finished)" in log
    assert "'newsbot/dropped/not_an_article': 1" in log
    records = [
        json.loads(line)
        for line in (tmp_path / "scrapyd" / "items" / "newsbot" / "iribnews" / f"{job}.jl")
        .read_text("utf-8")
        .splitlines()
    ]
    truth = json.loads((PROJECT_DIR / "snapshot" / "truth.json").read_text("utf-8"))
    articles = sorted(record["news_id"] for record in records if record["type"] == "article")
    assert articles == sorted(map(int, truth["articles"]))
    assert sum(record["type"] == "listing" for record in records) == len(truth["listings"])

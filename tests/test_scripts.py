"""The scripts and files a user meets first: env.sh safe to source in an interactive shell, the
demo in a folder of its own, what git ignores, and the benchmarks' runs kept apart from their
published results."""

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import report as bench_report
from snapshot.crawl import PROJECT_DIR


@pytest.fixture
def venv(tmp_path: Path) -> Path:
    """A stand-in for .venv that env.sh finds installed (its stamp matches pyproject.toml)
    and whose python is the one running the tests: nothing is installed."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    digest = hashlib.sha256((PROJECT_DIR / "pyproject.toml").read_bytes()).hexdigest()
    (venv / ".newsbot-installed").write_text(f"test {digest}\n", encoding="utf-8")
    return venv


def test_env_sh_is_safe_to_source_in_an_interactive_shell(tmp_path: Path, venv: Path) -> None:
    script = (
        'cd "$1" && source "$2/scripts/env.sh" && source "$2/scripts/env.sh"; '
        'echo "status=$? flags=$- pwd=$PWD python=$(command -v python)"; shopt -po pipefail; '
        'echo "$PATH" | tr : "\\n" | grep -c "$3/bin"; false; echo "still here"'
    )
    done = subprocess.run(
        ["bash", "-c", script, "bash", str(tmp_path), str(PROJECT_DIR), str(venv)],
        env={**os.environ, "NEWSBOT_VENV": str(venv)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    first, pipefail, on_path, alive = done.stdout.splitlines()
    status, flags, pwd, python = first.split(" ")
    assert status == "status=0"
    assert "e" not in flags.removeprefix("flags=") and "u" not in flags.removeprefix("flags=")
    assert pwd == f"pwd={tmp_path}"  # the shell stays where it was
    assert python == f"python={venv}/bin/python"
    assert pipefail == "set +o pipefail"
    assert on_path == "1"  # sourced twice, on PATH once
    assert alive == "still here"  # a failing command does not end the shell


def test_the_demo_writes_to_its_own_folder_and_says_where(tmp_path: Path) -> None:
    data = PROJECT_DIR / "data"
    before = sorted(data.rglob("*"))
    done = subprocess.run(
        [sys.executable, "-m", "snapshot.crawl", "--port", "0"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(PROJECT_DIR)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    demo = tmp_path / "demo"
    assert sorted(path.name.split("-")[0] for path in (demo / "iribnews").glob("*.jsonl")) == [
        "articles",
        "listings",
    ]
    assert (demo / "state" / "iribnews.sqlite3").is_file()
    assert done.stdout.rstrip().splitlines()[-1] == (
        f"The demo wrote to {demo}: feeds and reports in {demo}/iribnews, its crawl state in "
        f"{demo}/state (delete {demo} to start over)"
    )
    assert sorted(data.rglob("*")) == before  # the live corpus's folder is untouched


def test_demo_sh_runs_from_any_folder(tmp_path: Path, venv: Path) -> None:
    done = subprocess.run(
        [
            str(PROJECT_DIR / "scripts" / "demo.sh"),
            "--port",
            "0",
            "--data-dir",
            str(tmp_path / "d"),
        ],
        cwd=tmp_path,
        env={**os.environ, "NEWSBOT_VENV": str(venv)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert f"The demo wrote to {tmp_path / 'd'}: " in done.stdout


def test_what_the_readme_recipes_and_the_benchmarks_write_is_ignored_by_git() -> None:
    def ignored(path: str) -> bool:
        check = subprocess.run(
            ["git", "check-ignore", "-q", path], cwd=PROJECT_DIR, timeout=30, check=False
        )
        assert check.returncode in (0, 1), check
        return check.returncode == 0

    for path in (
        "logs/iribnews.log",  # the cron recipe's LOG_FILE
        "jobs/iribnews/requests.queue",  # the README's JOBDIR
        "demo/state/iribnews.sqlite3",
        "benchmarks/runs/extraction.txt",
        "data/state/iribnews.sqlite3",
    ):
        assert ignored(path), path
    for path in ("data/README.md", "benchmarks/results/extraction.txt", "benchmarks/README.md"):
        assert not ignored(path), path


# ------------------------------------------------------------------------------ benchmarks


def test_every_benchmark_has_its_line_in_the_benchmarks_readme() -> None:
    assert "benchmarks/README.md" in (PROJECT_DIR / "scripts" / "bench.sh").read_text("utf-8")
    readme = (PROJECT_DIR / "benchmarks" / "README.md").read_text("utf-8")
    for script in sorted((PROJECT_DIR / "benchmarks").glob("*.py")):
        for result in re.findall(r'save_run\(\s*"(\w+)"', script.read_text("utf-8")):
            [line] = [line for line in readme.splitlines() if f"| `{result}` |" in line]
            assert f"`./scripts/bench.sh {script.stem}" in line, line


def test_a_benchmark_run_leaves_the_published_results_alone_until_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(bench_report, "RUNS", tmp_path / "runs")
    monkeypatch.setattr(bench_report, "RESULTS", tmp_path / "results")
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / "speed.txt").write_text("the published table\n", encoding="utf-8")
    run = bench_report.save_run("speed", ["a new table"])
    assert run == tmp_path / "runs" / "speed.txt"
    assert run.read_text("utf-8").endswith("\n\na new table\n")
    assert (tmp_path / "results" / "speed.txt").read_text("utf-8") == "the published table\n"
    assert bench_report.publish("speed") == tmp_path / "results" / "speed.txt"
    assert (tmp_path / "results" / "speed.txt").read_text("utf-8") == run.read_text("utf-8")
    with pytest.raises(FileNotFoundError, match="no run of 'memory' to publish"):
        bench_report.publish("memory")
    assert json.dumps(sorted(p.name for p in tmp_path.rglob("*.tmp"))) == "[]"

"""What every benchmark prints and keeps: its table, under a description of the machine, in
benchmarks/runs/<name>.txt (untracked; written whole or not at all). A run becomes the published
result, benchmarks/results/<name>.txt, the table the README quotes, only by an explicit step:
`./scripts/bench.sh publish NAME` (benchmarks/publish.py)."""

import os
import platform
from datetime import UTC, datetime
from pathlib import Path

RUNS = Path(__file__).parent / "runs"
RESULTS = Path(__file__).parent / "results"


def machine() -> list[str]:
    return [
        f"python: {platform.python_implementation()} {platform.python_version()}",
        f"platform: {platform.platform()}",
        f"machine: {platform.machine()} {platform.processor()}".rstrip(),
        f"cpu count: {os.cpu_count()}",
        f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
    ]


def save_run(name: str, lines: list[str]) -> Path:
    """Print the table with the machine description and save it as runs/<name>.txt."""
    report = "\n".join([*machine(), "", *lines]) + "\n"
    print(report)
    target = RUNS / f"{name}.txt"
    _write(target, report)
    print(f"saved to {target}; ./scripts/bench.sh publish {name} makes it the published result")
    return target


def publish(name: str) -> Path:
    """Make the last run of a benchmark (runs/<name>.txt) its published result."""
    run = RUNS / f"{name}.txt"
    if not run.is_file():
        raise FileNotFoundError(f"no run of {name!r} to publish: {run} (run the benchmark first)")
    target = RESULTS / f"{name}.txt"
    _write(target, run.read_text(encoding="utf-8"))
    return target


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(exist_ok=True)
    partial = target.with_suffix(".tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)

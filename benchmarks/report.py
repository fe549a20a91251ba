"""What every benchmark prints and keeps: its table, under a description of the machine, in
benchmarks/results/<name>.txt (written whole or not at all)."""

import os
import platform
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def machine() -> list[str]:
    return [
        f"python: {platform.python_implementation()} {platform.python_version()}",
        f"platform: {platform.platform()}",
        f"machine: {platform.machine()} {platform.processor()}".rstrip(),
        f"cpu count: {os.cpu_count()}",
        f"date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
    ]


def publish(name: str, lines: list[str]) -> Path:
    """Print the table with the machine description and save it as results/<name>.txt."""
    report = "\n".join([*machine(), "", *lines]) + "\n"
    print(report)
    RESULTS.mkdir(exist_ok=True)
    target = RESULTS / f"{name}.txt"
    partial = target.with_suffix(".tmp")
    partial.write_text(report, encoding="utf-8")
    partial.replace(target)
    return target

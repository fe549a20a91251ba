"""Publish benchmark runs: `./scripts/bench.sh publish NAME [NAME...]` copies each
benchmarks/runs/NAME.txt (the last run, untracked) to benchmarks/results/NAME.txt (tracked, the
table the README quotes). NAME is a result's name: extraction, crawl_speed, crawl_memory, ..."""

import argparse
import sys

from benchmarks.report import publish


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="+", metavar="NAME")
    args = parser.parse_args(argv)
    for name in args.names:
        try:
            target = publish(name)
        except FileNotFoundError as error:
            print(f"benchmarks.publish: {error}", file=sys.stderr)
            return 1
        print(f"published {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

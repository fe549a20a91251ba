"""The ``newsbot`` console script: run for real from the venv, and in-process through main()."""

import io
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsbot import __version__
from newsbot.tools.cli import main

SCRIPT = Path(sys.executable).with_name("newsbot")
ZWNJ = "\u200c"


def run(*args: str, stdin: bytes = b"", **env: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [str(SCRIPT), *args],
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
        env={**os.environ, **env},
    )


class TestConsoleScript:
    def test_installed_next_to_the_interpreter(self) -> None:
        assert SCRIPT.is_file()

    def test_normalize(self) -> None:
        text = f"  علي\u00a0\u00a0كتاب{ZWNJ}{ZWNJ}ها ٣٫٥\r\n\r\n\r\n12.5 \u200fبندر ها  "
        done = run("normalize", stdin=text.encode())
        assert done.returncode == 0
        assert done.stdout.decode() == f"علی کتاب{ZWNJ}ها ۳٫۵\n\n12.5 بندر ها\n"
        assert done.stderr == b""

    def test_normalize_is_utf8_whatever_the_locale(self) -> None:
        done = run("normalize", stdin="كتاب".encode(), LC_ALL="C", LANG="C", PYTHONIOENCODING="")
        assert (done.returncode, done.stdout) == (0, "کتاب\n".encode())

    def test_normalize_strip_diacritics(self) -> None:
        done = run("normalize", "--strip-diacritics", stdin="مُحَمَّد".encode())
        assert done.stdout.decode() == "محمد\n"

    def test_normalize_rejects_invalid_utf8(self) -> None:
        done = run("normalize", stdin=b"\xff\xfe")
        assert done.returncode == 1
        assert b"not UTF-8" in done.stderr
        assert done.stdout == b""

    @pytest.mark.parametrize(
        ("args", "expected"),
        [
            (["۰۹ خرداد ۱۴۰۲ - ۱۲:۲۷"], "2023-05-30T12:27:00+03:30"),
            (["۰۹", "خرداد", "۱۴۰۲", "-", "۱۲:۲۷"], "2023-05-30T12:27:00+03:30"),  # unquoted
            (["1396/12/27"], "2018-03-18"),
            (["۰۱ مرداد ۱۳۹۷ - ۱۰:۰۰"], "2018-07-23T10:00:00+04:30"),
            (["--now", "2023-05-30T12:27:00+03:30", "۱۰ دقیقه پیش"], "2023-05-30T12:17:00+03:30"),
            (["05", "November", "2018", "-", "20:14"], "2018-11-05T20:14:00+03:30"),  # unquoted
        ],
    )
    def test_date(self, args: list[str], expected: str) -> None:
        done = run("date", *args)
        assert (done.returncode, done.stdout.decode(), done.stderr) == (0, expected + "\n", b"")

    def test_date_error(self) -> None:
        done = run("date", "۳۰ اسفند ۱۴۰۲")
        assert done.returncode == 1
        assert done.stdout == b""
        assert done.stderr.decode() == (
            "newsbot date: error: cannot read a Jalali date from '۳۰ اسفند ۱۴۰۲': "
            "day 30 does not exist in Esfand 1402\n"
        )

    def test_runs_as_a_module(self) -> None:
        done = subprocess.run(
            [sys.executable, "-m", "newsbot.tools.cli", "date", "1396/12/27"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert (done.returncode, done.stdout) == (0, b"2018-03-18\n")


class TestMain:
    def test_normalize(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO("يك\n\n\nدو ".encode())))
        assert main(["normalize"]) == 0
        assert capsys.readouterr().out == "یک\n\nدو\n"

    def test_normalize_empty_input_gives_no_output(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(" \n\u200c".encode())))
        assert main(["normalize"]) == 0
        assert capsys.readouterr().out == ""

    def test_date(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["date", "سه‌شنبه، ۰۹ خرداد ۱۴۰۲ ساعت ۱۲:۲۷"]) == 0
        assert capsys.readouterr() == ("2023-05-30T12:27:00+03:30\n", "")

    def test_date_relative_defaults_to_the_current_time(
        self, capsys: pytest.CaptureFixture[str]
    ) -> None:
        before = datetime.now(UTC).replace(microsecond=0)
        assert main(["date", "لحظاتی پیش"]) == 0
        printed = datetime.fromisoformat(capsys.readouterr().out.strip())
        assert before <= printed <= datetime.now(UTC)

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("۰۹:۰۰ - ۱۸ مهر ۱۳۹۷", "2018-10-10T09:00:00+03:30"),
            ("۱۱ ارديبهشت ۱۳۹۷  |  ۰۰:۰۱", "2018-05-01T00:01:00+04:30"),
            ("۱۲-۰۴-۱۳۹۳", "2014-07-03"),
            ("۱۴۰۳/۱۱/۳۰ - ۲۲:۱۹:۳۴", "2025-02-18T22:19:34+03:30"),
            ("۰۲ مهر ۱۳۹۹ - ۲۰:۱۲ 23 September 2020", "2020-09-23T20:12:00+03:30"),
            ("۰۸ مرداد ۱۳۸۶ - 30 July 2007", "2007-07-30"),
            ("10:52 - 31 March 2008", "2008-03-31T10:52:00+04:30"),
            ("تأريخ النشر: 05 November 2018 - 20:14", "2018-11-05T20:14:00+03:30"),
            ("۳۰ شهریور ۱۳۹۸ - ۲۳:۳۰ +03:30", "2019-09-21T23:30:00+03:30"),
            ("۳۰ شهریور ۱۳۹۸ - ۲۳:۳۰ 21 September 2019 - 19:00 GMT", "2019-09-21T23:30:00+04:30"),
        ],
    )
    def test_date_forms_of_real_pages(
        self, text: str, expected: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["date", text]) == 0
        assert capsys.readouterr() == (expected + "\n", "")

    @pytest.mark.parametrize(
        ("text", "reason"),
        [
            (
                "۳۰ شهریور ۱۳۹۸ - ۲۳:۳۰",
                "23:30 on 2019-09-21 is ambiguous: it happened twice in Tehran, at +04:30 and again "
                "at +03:30 after clocks went back, and no UTC offset or Gregorian time in the text "
                "says which",
            ),
            (
                "۰۸ مرداد ۱۳۸۶ - 31 July 2007",
                "Gregorian date '31 July 2007' is not 2007-07-30, the day of the Jalali date",
            ),
            (
                "۲۲-۰۸-۹۷",
                "'22-08-97' has no four-digit year, so it is read year first, and 97 cannot be a "
                "day (a two-digit year is never read last)",
            ),
        ],
    )
    def test_date_refusals_say_why(
        self, text: str, reason: str, capsys: pytest.CaptureFixture[str]
    ) -> None:
        assert main(["date", text]) == 1
        assert capsys.readouterr() == (
            "",
            f"newsbot date: error: cannot read a Jalali date from {text!r}: {reason}\n",
        )

    @pytest.mark.parametrize("text", ["۳۱ مهر ۱۴۰۲", "۰۹ خرداد ۱۴۰۲ - ۲۵:۰۰", "hello"])
    def test_date_error(self, text: str, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["date", text]) == 1
        out, err = capsys.readouterr()
        assert out == ""
        assert err.startswith(f"newsbot date: error: cannot read a Jalali date from {text!r}: ")

    @pytest.mark.parametrize(
        ("now", "message"),
        [
            ("2023-05-30T12:27", "has no UTC offset"),
            ("yesterday", "is not an ISO 8601 datetime"),
        ],
    )
    def test_bad_now(self, now: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as caught:
            main(["date", "--now", now, "۱۰ دقیقه پیش"])
        assert caught.value.code == 2
        assert message in capsys.readouterr().err

    @pytest.mark.parametrize("argv", [[], ["unknown"], ["date"]])
    def test_usage_errors(self, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 2
        assert "usage: newsbot" in capsys.readouterr().err

    def test_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        with pytest.raises(SystemExit) as caught:
            main(["--version"])
        assert caught.value.code == 0
        assert capsys.readouterr().out == f"newsbot {__version__}\n"

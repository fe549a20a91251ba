"""newsbot.text.persian: every normalisation rule, edge cases, and hypothesis properties.

Invisible characters are written as escapes so that each case shows what it contains.
"""

import re
import sys
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsbot.text.persian import latin_digits, normalize

ZWNJ = "\u200c"

# Characters the rules are about, so that generated text hits them often.
_INTERESTING = [
    *"يىكیکابتسمنوهدر",
    *"٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹0123456789",
    *"./٫٬:-،",
    ZWNJ,
    "\u200d",
    *" \t\n\r\u00a0\u2009\u202f\u3000\u2028\u2029\x85",
    *"\u0640\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff",
    *"\u064b\u064e\u0650\u0651\u0652\u0654\u0670",
    *"\ufefb\ufbfc\ufef0\ufef2\ufedb\ufe70\ufe71\ufe7c\ufdf2\ufdfa\ufc5e",
]
_TEXT = st.text(alphabet=st.one_of(st.sampled_from(_INTERESTING), st.characters()), max_size=80)

# Letters that normalize() leaves as single letters (ي → ی and ك → ک map one to one).
_LETTERS = "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیيكى"
_LETTER_OF = {"ي": "ی", "ى": "ی", "ك": "ک"}


class TestLetters:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("علي", "علی"),  # Arabic yeh
            ("مصطفى", "مصطفی"),  # alef maksura
            ("كتاب", "کتاب"),  # Arabic kaf
            ("يكشنبه", "یکشنبه"),
            ("کتابی", "کتابی"),  # already Persian
            ("\u0626\u0624\u0623\u0625\u0622", "\u0626\u0624\u0623\u0625\u0622"),  # hamza letters
            ("hello World", "hello World"),
            ("", ""),
        ],
    )
    def test_arabic_letters_become_persian(self, text: str, expected: str) -> None:
        assert normalize(text) == expected

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("\ufefb", "لا"),  # LAM WITH ALEF ISOLATED FORM
            ("\ufbfc", "ی"),  # FARSI YEH ISOLATED FORM
            ("\ufef0", "ی"),  # ALEF MAKSURA FINAL FORM, then ى → ی
            ("\ufef2", "ی"),  # YEH FINAL FORM, then ي → ی
            ("\ufedb", "ک"),  # KAF INITIAL FORM, then ك → ک
            ("\ufb8e", "ک"),  # KEHEH ISOLATED FORM
            ("\ufeb3\ufefc\ufee1", "سلام"),  # SEEN initial, LAM-ALEF final, MEEM isolated
            ("\ufdf2", "الله"),  # ALLAH ligature
            ("\ufe80", "ء"),  # HAMZA ISOLATED FORM
            ("ب\ufe7c", "ب\u0651"),  # SHADDA ISOLATED FORM: the mark, no space invented
            ("ب\ufe71", "ب\u064b"),  # TATWEEL WITH FATHATAN: the tatweel goes too
            ("\ufd3e\ufd3f", "\ufd3e\ufd3f"),  # ornate parentheses have no decomposition
        ],
    )
    def test_presentation_forms_become_letters(self, text: str, expected: str) -> None:
        assert normalize(text) == expected

    def test_no_presentation_form_survives(self) -> None:
        forms = [chr(c) for c in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFF)]]
        decomposable = [c for c in forms if unicodedata.normalize("NFKC", c) != c]
        assert len(decomposable) > 700
        assert not set(normalize(" ".join(decomposable))) & set(decomposable)


class TestDigits:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹"),
            ("۰۱۲۳۴۵۶۷۸۹", "۰۱۲۳۴۵۶۷۸۹"),
            ("0123456789", "0123456789"),  # Latin digits stay Latin
            ("۳.۵", "۳.۵"),
            ("12.5", "12.5"),
            ("۱۴۰۲/۰۳/۰۹", "۱۴۰۲/۰۳/۰۹"),
            ("1402/03/09", "1402/03/09"),
            ("٣٫٥", "۳٫۵"),  # Arabic decimal separator kept
            ("۱٬۲۵۰٬۰۰۰", "۱٬۲۵۰٬۰۰۰"),  # Arabic thousands separator kept
            ("1,234.5", "1,234.5"),
            ("۱۲:۲۷", "۱۲:۲۷"),
            ("-۵٪", "-۵٪"),
            ("²³", "²³"),  # superscripts untouched
        ],
    )
    def test_digits(self, text: str, expected: str) -> None:
        assert normalize(text) == expected


class TestZwnj:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            (f"می{ZWNJ}شود", f"می{ZWNJ}شود"),  # inside a word: kept
            (f"می{ZWNJ * 3}شود", f"می{ZWNJ}شود"),  # repeated: one
            (f"کتاب{ZWNJ} ها", "کتاب ها"),  # before a space
            (f"کتاب {ZWNJ}ها", "کتاب ها"),  # after a space
            (f"کتاب {ZWNJ} {ZWNJ} ها", "کتاب ها"),
            (f"{ZWNJ}کتاب{ZWNJ}", "کتاب"),  # at either end
            (f"{ZWNJ * 2} {ZWNJ}", ""),
            (f"کتاب{ZWNJ}\nها", "کتاب\nها"),  # at a line end
            (f"کتاب\n{ZWNJ}ها", "کتاب\nها"),  # at a line start
            (f"می{ZWNJ}\u200bشود", f"می{ZWNJ}شود"),  # zero-width space deleted, ZWNJ stays
            (f"می{ZWNJ}\u200b{ZWNJ}شود", f"می{ZWNJ}شود"),  # ... and the ZWNJs then merge
            (f"میـ{ZWNJ}شود", f"می{ZWNJ}شود"),  # tatweel deleted, ZWNJ stays
            (f"۱۲{ZWNJ}ام", f"۱۲{ZWNJ}ام"),  # after a digit: kept
            ("بندر ها", "بندر ها"),  # never inserted
            ("بندرها", "بندرها"),
            ("میشود", "میشود"),
            ("می\u200dشود", "می\u200dشود"),  # ZWJ is not ZWNJ: left alone
        ],
    )
    def test_zwnj(self, text: str, expected: str) -> None:
        assert normalize(text) == expected


class TestInvisibles:
    @pytest.mark.parametrize(
        "char",
        [
            "\u0640",  # tatweel
            "\u200b",  # zero-width space
            "\u200e",  # LRM
            "\u200f",  # RLM
            "\u061c",  # Arabic letter mark
            *"\u202a\u202b\u202c\u202d\u202e",  # embeddings and overrides
            *"\u2066\u2067\u2068\u2069",  # isolates
            "\ufeff",  # BOM
        ],
    )
    def test_deleted(self, char: str) -> None:
        assert normalize(f"{char}کتاب{char}ها{char}{char} ۱۲{char}۳") == "کتابها ۱۲۳"

    def test_tatweel_run(self) -> None:
        assert normalize("مـــــحمد") == "محمد"

    def test_bidi_marks_around_a_date(self) -> None:
        assert normalize("\u200f۱۴۰۲\u200e/۰۳/۰۹\u200f") == "۱۴۰۲/۰۳/۰۹"


class TestSpaces:
    @pytest.mark.parametrize(
        "space",
        [*"\t\x0b\x0c\x85\xa0\u1680\u2000\u2005\u2009\u200a\u202f\u205f\u3000"],
    )
    def test_unicode_space_becomes_space(self, space: str) -> None:
        assert normalize(f"الف{space}ب") == "الف ب"

    def test_every_isspace_character_is_a_space_or_a_line_break(self) -> None:
        spaces = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
        assert len(spaces) >= 25
        for space in spaces:
            assert normalize(f"a{space}b") in ("a b", "a\nb"), hex(ord(space))

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("الف    ب", "الف ب"),
            ("الف \u00a0\t ب", "الف ب"),
            ("   الف ب   ", "الف ب"),
            ("\u00a0الف\u00a0", "الف"),
            ("   ", ""),
            ("\n \t\n", ""),
        ],
    )
    def test_runs_collapse_and_ends_trim(self, text: str, expected: str) -> None:
        assert normalize(text) == expected


class TestLines:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("الف\nب", "الف\nب"),
            ("الف\r\nب", "الف\nب"),  # CRLF is one break, not a blank line
            ("الف\rب", "الف\nب"),
            ("الف\u2028ب", "الف\nب"),
            ("الف\u2029ب", "الف\nب"),
            ("الف\n\nب", "الف\n\nب"),  # paragraph break kept
            ("الف\r\n\r\nب", "الف\n\nب"),
            ("الف\n\n\n\nب", "الف\n\nب"),  # blank lines collapse to one
            ("الف\n \t\n\u00a0\nب", "الف\n\nب"),  # whitespace-only lines are blank
            ("الف  \n  ب", "الف\nب"),  # each line trimmed
            ("\n\nالف\n\n", "الف"),  # leading and trailing blank lines dropped
            ("الف\n\nب\n\n\nپ", "الف\n\nب\n\nپ"),
        ],
    )
    def test_line_handling(self, text: str, expected: str) -> None:
        assert normalize(text) == expected


class TestDiacritics:
    def test_kept_by_default(self) -> None:
        assert normalize("مُحَمَّد") == "مُحَمَّد"

    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("مُحَمَّد", "محمد"),
            ("کِتابٌ", "کتاب"),
            ("الرَّحْمٰن", "الرحمن"),  # sukun and superscript alef
            ("خانه\u0654", "خانه\u0654"),  # hamza above is part of the letter
            ("ا\u0653", "ا\u0653"),  # so is madda
            ("ب \ufe7c ب", "ب ب"),  # a spacing mark leaves no double space
        ],
    )
    def test_stripped_on_request(self, text: str, expected: str) -> None:
        assert normalize(text, strip_diacritics=True) == expected


class TestLatinDigits:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("۵۸۱۶ بازدید", "5816 بازدید"),
            ("۳۸۶۶۸۱۳", "3866813"),
            ("٣٨٦٦٨١٣", "3866813"),
            ("۱۴۰۲/۰۳/۰۹ ۱۲:۲۷", "1402/03/09 12:27"),
            ("۳.۵ و ٣٫٥", "3.5 و 3٫5"),
            ("abc 123", "abc 123"),
            ("  علي  ", "  علي  "),  # nothing else changes
        ],
    )
    def test_latin_digits(self, text: str, expected: str) -> None:
        assert latin_digits(text) == expected


class TestProperties:
    @settings(max_examples=1000)
    @given(_TEXT, st.booleans())
    def test_idempotent(self, text: str, strip: bool) -> None:
        once = normalize(text, strip_diacritics=strip)
        assert normalize(once, strip_diacritics=strip) == once

    @settings(max_examples=500)
    @given(_TEXT)
    def test_output_is_canonical(self, text: str) -> None:
        result = normalize(text)
        assert not set(result) & set("يىك٠١٢٣٤٥٦٧٨٩\u0640\u200b\u200e\u200f\ufeff\r\t\xa0")
        assert "  " not in result
        assert ZWNJ * 2 not in result
        assert "\n\n\n" not in result
        for line in result.split("\n"):
            assert line == line.strip(" " + ZWNJ)

    @settings(max_examples=500)
    @given(
        st.lists(
            st.one_of(st.sampled_from(_LETTERS), st.just(ZWNJ), st.sampled_from(_INTERESTING)),
            max_size=40,
        ).map("".join)
    )
    def test_zwnj_between_letters_survives(self, text: str) -> None:
        result = normalize(text)
        for before, after in re.findall(f"(?=([{_LETTERS}]){ZWNJ}([{_LETTERS}]))", text):
            pair = _LETTER_OF.get(before, before) + ZWNJ + _LETTER_OF.get(after, after)
            assert pair in result

    @settings(max_examples=500)
    @given(_TEXT)
    def test_digit_values_unchanged(self, text: str) -> None:
        def values(s: str) -> list[int]:
            return [unicodedata.decimal(c) for c in s if c.isdecimal()]

        assert values(normalize(text)) == values(text)

    @settings(max_examples=500)
    @given(
        st.lists(
            st.tuples(
                st.text(alphabet="٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹0123456789", min_size=1, max_size=8),
                st.sampled_from([" ", ".", "/", "٫", "٬", ",", ":", "-", " و ", "\u00a0", "\n"]),
            ),
            max_size=6,
        )
    )
    def test_numbers_stay_whole(self, parts: list[tuple[str, str]]) -> None:
        text = "".join(number + separator for number, separator in parts)

        def numbers(s: str) -> list[int]:
            return [int(latin_digits(n)) for n in re.findall(r"\d+", s)]

        assert numbers(normalize(text)) == numbers(text)

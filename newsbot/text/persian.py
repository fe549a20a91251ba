"""Persian text normalisation for every text field the crawler emits.

Pages on the same CMS mix Arabic and Persian code points for the same letter (ي/ی, ك/ک), carry
invisible bidi marks and zero-width spaces from editors, pad with NBSP, and use the zero-width
non-joiner (ZWNJ, U+200C) that Persian spelling needs inside words («می‌شود»). Generic cleaners get
Persian wrong: some delete every ZWNJ, others insert ZWNJs or split numbers («12.5» → «12 . 5»).
This module only unifies code points and whitespace; it never touches the value or punctuation of a
number and never inserts a ZWNJ.

All work is done with module-level ``str.translate`` tables and compiled patterns, because the
crawler calls :func:`normalize` on every title, lead and paragraph.
"""

import re
import unicodedata

__all__ = ["latin_digits", "normalize"]

ZWNJ = "\u200c"

_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"

# Characters that carry no text: tatweel (a justification stretch), zero-width space, the bidi
# marks, embeddings, overrides and isolates (including the Arabic letter mark), and the BOM.
_INVISIBLE = (
    "\u0640"  # tatweel
    "\u061c"  # Arabic letter mark (a bidi control)
    "\u200b\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069"
    "\ufeff"
)

# The only characters that end a line. \r\n is replaced before translation so it stays one break.
_LINE_BREAKS = "\r\u2028\u2029"

# Every other character for which str.isspace() is true (tab, NBSP, the U+2000 family, ...).
# tests/test_persian.py checks this list against str.isspace() so a new Unicode space is noticed.
_OTHER_SPACES = (
    "\t\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u202f\u205f\u3000"
)

# Harakat, tanwin, shadda, sukun and the superscript alef: vowel marks that can be dropped without
# changing the word. Hamza and madda above/below (U+0653-U+0655) are kept, being parts of letters.
_DIACRITICS = "".join(chr(c) for c in range(0x064B, 0x0653)) + "\u0670"

_ARABIC_PRESENTATION_FORMS = (range(0xFB50, 0xFE00), range(0xFE70, 0xFF00))


def _base_table() -> dict[int, str | None]:
    """Map single code points: letters and digits unified, spaces unified, invisibles deleted."""
    table: dict[int, str | None] = {ord("ي"): "ی", ord("ى"): "ی", ord("ك"): "ک"}
    table.update(zip(map(ord, _ARABIC_INDIC_DIGITS), _PERSIAN_DIGITS, strict=True))
    table.update(dict.fromkeys(map(ord, _INVISIBLE)))
    table.update(dict.fromkeys(map(ord, _OTHER_SPACES), " "))
    table.update(dict.fromkeys(map(ord, _LINE_BREAKS), "\n"))
    return table


def _with_presentation_forms(base: dict[int, str | None]) -> dict[int, str | None]:
    """Add every Arabic presentation form, mapped to its NFKC letters, then through ``base``.

    Running the decomposition through ``base`` keeps the table idempotent (a final-form alef
    maksura becomes ی, not ى). The isolated forms of the vowel marks decompose to a space plus the
    mark; the space is dropped so that normalising never invents a word break.
    """
    table = dict(base)
    for block in _ARABIC_PRESENTATION_FORMS:
        for code in block:
            char = chr(code)
            decomposed = unicodedata.normalize("NFKC", char)
            if decomposed != char:
                table[code] = decomposed.translate(base).lstrip(" ")
    return table


_TABLE = _with_presentation_forms(_base_table())
# The same table as a list indexed by code point, every code point up to the last one mapped
# standing for itself: str.translate reads a list about twice as fast as a dict, whose every miss
# (nearly every Persian letter) raises and swallows a KeyError. Later code points are an
# IndexError, which translate also reads as "unchanged".
_TABLE_BY_CODE: list[int | str | None] = [_TABLE.get(code, code) for code in range(max(_TABLE) + 1)]
# Any character the table changes: most text has none, and a search is ~15x faster than translate.
_TRANSLATED = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_TABLE)) + "]")
_STRIP_DIACRITICS = dict.fromkeys(map(ord, _DIACRITICS))
_TO_LATIN_DIGITS = str.maketrans(_PERSIAN_DIGITS + _ARABIC_INDIC_DIGITS, "0123456789" * 2)

# After ZWNJ runs are merged, a run of two or more spaces and ZWNJs always holds a space: one space.
_ZWNJ_RUN = re.compile(ZWNJ + "{2,}")
_SPACE_RUN = re.compile(f"[ {ZWNJ}]{{2,}}")
_BLANK_LINES = re.compile("\n{3,}")
_EDGE = " " + ZWNJ
_ZWNJ_PAIR, _SPACE_ZWNJ, _ZWNJ_SPACE = ZWNJ * 2, " " + ZWNJ, ZWNJ + " "


def normalize(text: str, *, strip_diacritics: bool = False) -> str:
    """Return ``text`` with Persian letters, digits, ZWNJs and whitespace in one canonical form.

    - ي ى → ی, ك → ک, Arabic presentation forms → their letters, Arabic-Indic digits → Persian
      digits; Latin digits and every other character (``.``, ``/``, ``٫``) stay as they are.
    - Tatweel, zero-width spaces, bidi controls and the BOM are deleted; other spaces become a
      space; ``\\r\\n``, ``\\r``, U+2028 and U+2029 become ``\\n``.
    - ZWNJ runs become one ZWNJ; a ZWNJ next to a space or at a line end is deleted. A ZWNJ is
      never added, so «بندر ها» stays two words.
    - In each line, space runs become one space and the ends are trimmed; blank lines between
      paragraphs become one blank line, and leading and trailing blank lines are dropped.
    - Diacritics are kept unless ``strip_diacritics`` is true.

    The result is a fixed point: ``normalize(normalize(t)) == normalize(t)``.
    """
    text = text.replace("\r\n", "\n")
    if _TRANSLATED.search(text):
        text = text.translate(_TABLE_BY_CODE)
    if strip_diacritics:
        text = text.translate(_STRIP_DIACRITICS)
    # Each substring test skips a regex scan, several times slower, when there is nothing to do.
    if _ZWNJ_PAIR in text:
        text = _ZWNJ_RUN.sub(ZWNJ, text)
    if "  " in text or _SPACE_ZWNJ in text or _ZWNJ_SPACE in text:
        text = _SPACE_RUN.sub(" ", text)
    if "\n" not in text:  # one line (titles, tags): only its ends to trim
        return text.strip(_EDGE)
    text = "\n".join(line.strip(_EDGE) for line in text.split("\n"))
    if "\n\n\n" in text:
        text = _BLANK_LINES.sub("\n\n", text)
    return text.strip("\n")


def latin_digits(text: str) -> str:
    """Return ``text`` with Persian and Arabic-Indic digits replaced by ASCII digits, for int()."""
    return text.translate(_TO_LATIN_DIGITS)

"""The one folding table: how text that a reader may type in several ways is made one form.

Persian is typed with Arabic letter forms (ي ك), with or without diacritics, with Persian,
Arabic-Indic or Latin digits, and with or without the zero-width non-joiner. Search folds the
index and the query to one form with this table; sorting folds the same letters (and two more);
validation refuses in records the Arabic forms that are wrong in Persian. The browser reads the
same table: the build writes it as JSON (folding_json), and the search script folds queries
with it, so both sides always agree.
"""

from __future__ import annotations

import json
import re
import unicodedata

LETTERS = {"ي": "ی", "ى": "ی", "ك": "ک", "ۀ": "ه", "ة": "ه", "ؤ": "و", "أ": "ا", "إ": "ا", "ٱ": "ا"}
"""Letter forms and the Persian letter each is folded to."""
WRONG_IN_PERSIAN = ("ي", "ك", "ى")
"""Of LETTERS, the Arabic letters that Persian writes differently: a record may not use them."""
SORTED_AS = {**LETTERS, "ئ": "ی", "ء": "ا"}
"""For alphabetical order, hamza on yeh files under ی and a lone hamza under ا as well."""

MARKS = "\u064b-\u065f\u0670\u0640"
"""Harakat (fatha, kasra, shadda...), hamza above and below, dagger alef and tatweel: dropped."""
DIGITS = {**{chr(0x06F0 + d): str(d) for d in range(10)}, **{chr(0x0660 + d): str(d) for d in range(10)}}
"""Persian and Arabic-Indic digits to Latin ones."""
BREAKS = "\\s\\-\u2013\u2014«»،؛؟!?:.,;()\\[\\]{}\"“”'‘’/|"
"""Characters between words (a regular-expression class body): spaces, hyphen and dashes,
Persian and Latin punctuation."""
JOINERS = "\u200c\u200d"
"""The zero-width non-joiner and joiner: inside a word, never between words."""

_LETTER_TABLE = str.maketrans({**LETTERS, **DIGITS})
_MARK = re.compile(f"[{MARKS}]")


def fold(text: str) -> str:
    """The one form of a text: Persian letters, no diacritics, Latin digits (joiners are kept)."""
    return _MARK.sub("", unicodedata.normalize("NFC", text).translate(_LETTER_TABLE))


LATIN_RUN = r"#?[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f0-9'’&.,:;/\- ]*[A-Za-z\u00c0-\u024f0-9.]|#?[A-Za-z\u00c0-\u024f]"
"""A run of Latin script (with an anchor's leading '#'): on a Persian page its digits stay Latin,
all others are Persian (text/inline.py isolates such runs; the search script localises by them)."""


def folding_json() -> str:
    """The table for the browser (the search script folds queries with it)."""
    return json.dumps({"letters": {**LETTERS, **DIGITS}, "marks": MARKS, "breaks": BREAKS, "joiners": JOINERS,
                       "latin_run": LATIN_RUN}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

"""Checks on the script of each language's text, shared by validation and tests."""

from __future__ import annotations

import re

from ..text.folding import LETTERS, WRONG_IN_PERSIAN

ARABIC_FORMS = {letter: LETTERS[letter] for letter in WRONG_IN_PERSIAN}
"""Arabic letters that Persian writes differently: ي -> ی, ك -> ک, ى -> ی."""

_PERSIAN_LETTER = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")


def persian_text_problems(text: str) -> list[str]:
    """What is wrong with the script of a Persian text (empty when nothing is)."""
    problems = []
    for arabic, persian in ARABIC_FORMS.items():
        if arabic in text:
            problems.append(f"Arabic letter '{arabic}' (U+{ord(arabic):04X}) in Persian text; "
                            f"use Persian '{persian}' (U+{ord(persian):04X})")
    if not _PERSIAN_LETTER.search(text):
        problems.append("Persian text contains no Persian letters; is it untranslated?")
    return problems


def english_text_problems(text: str) -> list[str]:
    """What is wrong with the script of an English text (empty when nothing is)."""
    if not _LATIN_LETTER.search(text):
        return ["English text contains no Latin letters; is it untranslated?"]
    return []

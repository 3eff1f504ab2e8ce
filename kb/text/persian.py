"""Persian-specific text helpers: alphabetical order, digits, Solar Hijri years."""

from __future__ import annotations

import unicodedata

from .folding import SORTED_AS

PERSIAN_ALPHABET = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
"""The Persian order: پ after ب, چ after ج, ژ after ز, گ after ک, و before ه."""

_RANK = {letter: rank for rank, letter in enumerate(PERSIAN_ALPHABET)}
_IGNORED = {"\u200c", "\u200d", "\u0640"}  # ZWNJ, ZWJ, tatweel

LETTER_NAMES = dict(zip(PERSIAN_ALPHABET, [
    "alef-madda", "alef", "be", "pe", "te", "se", "jim", "che", "he-jimi", "khe", "dal", "zal", "re",
    "ze", "zhe", "sin", "shin", "sad", "zad", "ta", "za", "ein", "ghein", "fe", "qaf", "kaf", "gaf",
    "lam", "mim", "nun", "vav", "he", "ye"]))
"""ASCII names of the letters, for glossary anchors."""

_PERSIAN_DIGITS = str.maketrans("0123456789٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹۰۱۲۳۴۵۶۷۸۹")


def persian_sort_key(text: str) -> tuple:
    """Sort key for Persian words in Persian alphabetical order, word by word."""
    key = []
    for char in unicodedata.normalize("NFC", text):
        if char in _IGNORED or unicodedata.category(char) == "Mn":  # ZWNJ, harakat
            continue
        char = SORTED_AS.get(char, char)
        if char.isspace():
            key.append((0, 0))
        elif char in _RANK:
            key.append((1, _RANK[char]))
        else:
            key.append((2, ord(char.lower())))
    return tuple(key)


def english_sort_key(text: str) -> tuple:
    """Sort key for English: case and accents do not count, words sort word by word."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return tuple((0, 0) if c.isspace() else (1, ord(c)) for c in folded
                 if not unicodedata.combining(c))


def sort_key(text: str, lang: str) -> tuple:
    return persian_sort_key(text) if lang == "fa" else english_sort_key(text)


def first_letter(text: str, lang: str) -> str:
    """The glossary letter a term is filed under (آ files under ا)."""
    for char in text:
        if char in _IGNORED or char.isspace():
            continue
        if lang == "fa":
            char = SORTED_AS.get(char, char)
            return "ا" if char == "آ" else char
        return unicodedata.normalize("NFKD", char)[0].upper()
    return "?"


def letter_anchor(letter: str) -> str:
    """An ASCII anchor for a glossary letter: 'letter-pe', 'letter-s'."""
    name = LETTER_NAMES.get(letter) or (letter.lower() if letter.isascii() and letter.isalnum()
                                        else f"u{ord(letter):04x}")
    return f"letter-{name}"


def to_persian_digits(text: str) -> str:
    """Latin and Arabic-Indic digits as Persian digits (۰–۹)."""
    return text.translate(_PERSIAN_DIGITS)


def gregorian_span(solar_hijri_year: int) -> str:
    """The Gregorian years a Solar Hijri year overlaps: 1397 -> '2018–19'.

    A Solar Hijri year starts at the March equinox, so year N runs from March
    N + 621 to March N + 622.
    """
    start = solar_hijri_year + 621
    end = start + 1
    suffix = str(end)[-2:] if str(end)[:2] == str(start)[:2] else str(end)
    return f"{start}–{suffix}"

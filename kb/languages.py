"""The two languages of the knowledge base, each defined once.

What differs between Persian and English and is not an interface word (those are in
render/labels.yaml): the code, the writing direction, where the language's site starts, how
lists and two names are joined, how a citation says "et al.", the digits, and how the language
sorts. The folding table that search and sorting share is in text/folding.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .text.persian import english_sort_key, persian_sort_key, to_persian_digits


@dataclass(frozen=True)
class Language:
    """One language of the site."""

    code: str
    """ISO 639-1: the lang attribute, and the folder of its pages in docs/."""
    name: str
    """Its own name, as the language switcher shows it."""
    direction: str
    """rtl or ltr: the dir attribute."""
    site_root: str
    """Where its site starts, from the root of the published site: '' or 'en/'."""
    list_separator: str
    """Between the items of a list, and between a name and a year in a citation."""
    semicolon: str
    two_names: str
    """Between the two names of a two-author work in a citation: 'X و Y', 'X & Y'."""
    et_al: str
    digits: Callable[[str], str]
    """The text with its digits in the language's own digits."""
    sort_key: Callable[[str], tuple]
    decimal: str = "."
    """The decimal separator, as in an edition's number (1.0, ۱٫۰)."""

    def edition_number(self, edition: str) -> str:
        """An edition's number in the language's digits: '1.0', '۱٫۰'."""
        return self.digits(edition).replace(".", self.decimal)

    @property
    def other(self) -> "Language":
        return LANGUAGES["en" if self.code == "fa" else "fa"]


PERSIAN = Language(code="fa", name="فارسی", direction="rtl", site_root="", list_separator="، ",
                   semicolon="؛ ", two_names=" و ", et_al="و همکاران", digits=to_persian_digits,
                   sort_key=persian_sort_key, decimal="٫")
ENGLISH = Language(code="en", name="English", direction="ltr", site_root="en/", list_separator=", ",
                   semicolon="; ", two_names=" & ", et_al="et al.", digits=str, sort_key=english_sort_key)

LANGUAGES: dict[str, Language] = {"fa": PERSIAN, "en": ENGLISH}
"""By code, the site's default language (at the root of the site) first."""
CODES = tuple(LANGUAGES)

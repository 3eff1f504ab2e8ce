"""The pieces every citation is made of: dates, editions, names, years and title case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import jdatetime

from ..languages import LANGUAGES
from ..records.model import UNKNOWN, Article, SiteSettings, Work
from ..text import escape
from ..text.persian import gregorian_span, to_persian_digits

PERSIAN_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر",
                  "دی", "بهمن", "اسفند"]
ENGLISH_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"]
NO_DATE = {"fa": "بی‌تا", "en": "n.d."}
SOLAR_HIJRI = {"fa": "ش", "en": "SH"}
GREGORIAN = {"fa": "م", "en": "CE"}
_MINOR_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "nor", "of", "on", "or",
                "the", "to", "up", "with", "from", "into", "via"}


@dataclass(frozen=True)
class Formatted:
    """One citation as HTML (titles in <i>) and as plain text for the clipboard."""

    html: str
    text: str


def runs(*parts: str | tuple[str]) -> Formatted:
    """Join text parts; a part given as a 1-tuple is a title set in italics."""
    out_html, out_text = [], []
    for part in parts:
        if isinstance(part, tuple):
            out_html.append(f"<i>{escape.html_text(part[0])}</i>")
            out_text.append(part[0])
        else:
            out_html.append(escape.html_text(part))
            out_text.append(part)
    return Formatted("".join(out_html), "".join(out_text))


# --- dates and editions ----------------------------------------------------------------------


def solar_hijri(date: dt.date) -> tuple[int, int, int]:
    day = jdatetime.date.fromgregorian(date=date)
    return day.year, day.month, day.day


def long_date(date: dt.date, lang: str) -> str:
    """'November 26, 2026' or '۵ آذر ۱۴۰۵'."""
    if lang == "fa":
        year, month, day = solar_hijri(date)
        return to_persian_digits(f"{day} {PERSIAN_MONTHS[month - 1]} {year}")
    return f"{ENGLISH_MONTHS[date.month - 1]} {date.day}, {date.year}"


def citation_year(date: dt.date, lang: str) -> str:
    return to_persian_digits(str(solar_hijri(date)[0])) if lang == "fa" else str(date.year)


def edition_label(edition: str, lang: str) -> str:
    number = LANGUAGES[lang].edition_number(edition)
    return f"ویرایش {number}" if lang == "fa" else f"Edition {number}"


def edition_text(info: SiteSettings, lang: str) -> str:
    """'Edition 1.0, November 26, 2026' or 'ویرایش ۱٫۰، ۵ آذر ۱۴۰۵': kb.yml's edition."""
    return edition_with_date(info.edition, info.edition_date, lang)


def edition_with_date(edition: str, date: dt.date, lang: str) -> str:
    """'Edition 1.0, November 26, 2026' or 'ویرایش ۱٫۰، ۵ آذر ۱۴۰۵'."""
    return f"{edition_label(edition, lang)}{LANGUAGES[lang].list_separator}{long_date(date, lang)}"


def edition_line(info: SiteSettings, lang: str) -> str:
    """The line every page's footer shows: the knowledge base's name and its edition."""
    return f"{info.name[lang]}{LANGUAGES[lang].list_separator}{edition_text(info, lang)}"


# --- titles ------------------------------------------------------------------------------------


def title_case(title: str) -> str:
    """Chicago's headline style for English titles."""
    words = title.split(" ")
    out = []
    for i, word in enumerate(words):
        lower = word.lower()
        if 0 < i < len(words) - 1 and lower in _MINOR_WORDS:
            out.append(lower)
        else:
            out.append("-".join(w[:1].upper() + w[1:] for w in word.split("-")))
    return " ".join(out)


def sentence_case(title: str) -> str:
    """APA's sentence case: the first letter capital, the rest lower case ([sic] is already lower)."""
    return title[:1].upper() + title[1:].lower()


# --- names and years of the article and the works it cites ----------------------------------


def split_name(full: str) -> tuple[str, str]:
    """(given, family) from 'Afsane Khosravi' or 'علیرضا موسوی‌زاده'."""
    given, _, family = full.rpartition(" ")
    return given, family


def initials(given: str) -> str:
    return " ".join(f"{part[0]}." for part in given.split() if part)


def article_year(article: Article, lang: str) -> str:
    if article.year != UNKNOWN:
        return to_persian_digits(article.year) if lang == "fa" else article.year
    return NO_DATE[lang]


def article_authors_in_text(article: Article, lang: str) -> str:
    """'Khosravi et al.': the article's authors as an in-text citation names them."""
    families = [split_name(a.name[lang])[1] for a in article.authors]
    if len(families) >= 3:
        return f"{families[0]} {LANGUAGES[lang].et_al}"
    return LANGUAGES[lang].two_names.join(families)


def citation_language(work: Work, lang: str) -> str:
    """The language a citation of work is written in on a page in lang: English pages cite every
    work in Latin script; Persian pages cite Latin-script works as the article does."""
    return "en" if lang == "en" or work.script == "en" else "fa"


def work_names(work: Work, lang: str) -> str:
    """'X', 'X and Y', 'X et al.': a work's authors as an in-text citation names them."""
    names = [a[lang] for a in work.authors]
    if work.et_al or len(names) >= 3:
        return f"{names[0]} {LANGUAGES[lang].et_al}"
    return LANGUAGES[lang].two_names.join(names)


def work_year(work: Work, lang: str) -> str:
    """The year of a work in an in-text citation: '1397 SH' in English, '۱۳۹۷' in Persian."""
    if work.year == UNKNOWN:
        return NO_DATE[lang]
    if lang == "en" and work.calendar == "solar-hijri":
        return f"{work.year} {SOLAR_HIJRI['en']}"
    return to_persian_digits(work.year) if lang == "fa" else work.year


def work_label(work: Work, lang: str, page: str | None = None) -> str:
    """'Dehshiri, 1397 SH: 94' / 'دهشیری، ۱۳۹۷: ۹۴': how a page names a work it cites (lang is
    the citation's language, see citation_language)."""
    text = f"{work_names(work, lang)}{LANGUAGES[lang].list_separator}{work_year(work, lang)}"
    if page:
        text += f": {LANGUAGES[lang].digits(page)}"
    return text


def year_in_full(work: Work, lang: str) -> str:
    """'1397 SH (≈ 2018–19 CE)' / '۱۳۹۷ ش (≈ ۲۰۱۸–۱۹ م)' / '2008': the bibliography's year."""
    if work.year == UNKNOWN:
        return NO_DATE[lang]
    if work.calendar != "solar-hijri":
        return LANGUAGES[lang].digits(work.year)
    text = f"{work.year} {SOLAR_HIJRI[lang]} (≈ {gregorian_span(int(work.year))} {GREGORIAN[lang]})"
    return LANGUAGES[lang].digits(text)

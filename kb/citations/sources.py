"""Citations of the source article and of the works it cites, in the reader's language.

The article gives no reference list and the works it cites were not read, so a claim the
article attributes to a work is cited secondarily: "(Van Overbeek, 2008, p. 20, as cited in
Khosravi et al., n.d.)", with the article as the reference-list entry.
"""

from __future__ import annotations

import re

from ..records.model import Article, Work
from .text import (Formatted, article_authors_in_text, article_year, citation_language, initials, runs,
                   sentence_case, split_name, title_case, work_label, work_names, work_year)


def published_title_with_sic(article: Article, case=None) -> str:
    """The English title as published, each misspelling marked [sic] (APA: sentence case)."""
    title = case(article.published_title) if case else article.published_title
    for word in article.sic:
        shown = word.lower() if case is sentence_case else word
        title = re.sub(rf"\b{re.escape(word)}\b", f"{shown} [sic]", title, count=1, flags=re.IGNORECASE)
    return title


def unknown_venue(article: Article, lang: str) -> str:
    kind = article.type[lang]
    if lang == "fa":
        return f"{kind}؛ نشریه، سال و صفحه‌ها نامعلوم"
    return f"{kind}; journal, year and pages unknown"


def article_apa(article: Article, lang: str) -> Formatted:
    """APA 7 reference-list entry for the source article, as far as it is known."""
    names = [split_name(a.name[lang]) for a in article.authors]
    year = article_year(article, lang)
    if lang == "fa":
        authors = "؛ ".join(f"{family}، {given}" for given, family in names)
        return runs(f"{authors} ({year}). ", (article.title.fa,), f". [{unknown_venue(article, 'fa')}]")
    authors = [f"{family}, {initials(given)}" for given, family in names]
    joined = ", ".join(authors[:-1]) + f", & {authors[-1]}" if len(authors) > 1 else authors[0]
    title = published_title_with_sic(article, sentence_case)
    return runs(f"{joined} ({year}). ", (title,), f" [{unknown_venue(article, 'en')}].")


def article_chicago(article: Article, lang: str) -> Formatted:
    """Chicago author-date reference-list entry for the source article."""
    names = [split_name(a.name[lang]) for a in article.authors]
    year = article_year(article, lang)
    if lang == "fa":
        first = f"{names[0][1]}، {names[0][0]}"
        rest = [f"{given} {family}" for given, family in names[1:]]
        authors = "، ".join([first] + rest[:-1]) + (f" و {rest[-1]}" if rest else "")
        return runs(f"{authors}. {year}. «{article.title.fa}». {unknown_venue(article, 'fa')}.")
    first = f"{names[0][1]}, {names[0][0]}"
    rest = [f"{given} {family}" for given, family in names[1:]]
    authors = ", ".join([first] + rest[:-1]) + (f", and {rest[-1]}" if rest else "")
    title = published_title_with_sic(article, title_case)
    venue = unknown_venue(article, "en")
    return runs(f"{authors}. {_period(year)} “{title}.” {venue[0].upper()}{venue[1:]}.")


def _period(text: str) -> str:
    """A sentence end, without doubling the period of an abbreviation such as n.d."""
    return text if text.endswith(".") else text + "."


def secondary_in_text(work: Work, page: str, article: Article, style: str, lang: str) -> str:
    """In-text citation of a work the reader knows only through the article."""
    names, year = article_authors_in_text(article, lang), article_year(article, lang)
    if lang == "fa":
        return f"({work_label(work, citation_language(work, lang), page)}، به نقل از {names}، {year})"
    authors, when = work_names(work, "en"), work_year(work, "en")
    if style == "apa":
        return f"({authors}, {when}, p. {page}, as cited in {names}, {year})"
    return f"({authors} {when}, {page}, cited in {names}{_chicago_year(year)})"


def _chicago_year(year: str) -> str:
    """Chicago puts a comma before n.d. ("Khosravi et al., n.d.") but not before a year."""
    return f", {year}" if year == "n.d." else f" {year}"


def article_in_text(article: Article, section_title: str, style: str, lang: str) -> str:
    """In-text citation of the article's own argument, located by section (pages are unknown)."""
    names, year = article_authors_in_text(article, lang), article_year(article, lang)
    if lang == "fa":
        return f"({names}، {year}، بخش «{section_title}»)"
    if style == "apa":
        return f"({names}, {year}, section “{section_title}”)"
    return f"({names}{_chicago_year(year)}, section “{section_title}”)"

"""Citations: of the knowledge base's pages and sections, and of the works behind them.

Everything here is pure text formatting, in the reader's language:
- a page or a section of this knowledge base, in APA 7 and Chicago author-date, and as
  BibTeX and RIS records (the knowledge base is cited like an encyclopedia entry, with its
  edition, as the Stanford Encyclopedia of Philosophy is);
- a claim the article attributes to a work: the article gives no reference list and we have
  not read the cited works, so the honest form is a secondary citation, "(Van Overbeek, 2008,
  p. 20, as cited in Khosravi et al., n.d.)", with the article as the reference-list entry;
- the bibliography as BibTeX, RIS and CSL-JSON.
The host is not known when the site is built, so page citations carry URL_SLOT where the
address goes; the page's script (and the static text, when kb.yml gives a site_url) fills it in.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

import jdatetime

from . import escape
from .model import UNKNOWN, Article, SiteSettings, Work
from .persian import gregorian_span, to_persian_digits

URL_SLOT = "⟦URL⟧"
"""Where a page citation's address goes; replaced in the browser or from kb.yml's site_url."""
SECTION_SLOT = "⟦SECTION⟧"
ID_SLOT = "⟦ID⟧"
"""A page carries one citation of "a section" with these slots, filled in by the page script for
each section, instead of a full set per section."""

PERSIAN_MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر",
                  "دی", "بهمن", "اسفند"]
ENGLISH_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"]
_MINOR_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "in", "nor", "of", "on", "or",
                "the", "to", "up", "with", "from", "into", "via"}


@dataclass(frozen=True)
class Formatted:
    """One citation as HTML (titles in <i>) and as plain text for the clipboard."""

    html: str
    text: str


def _runs(*parts: str | tuple[str]) -> Formatted:
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


# --- dates and numbers ---------------------------------------------------------------------


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
    return "ویرایش " + to_persian_digits(edition).replace(".", "٫") if lang == "fa" else f"Edition {edition}"


def edition_text(info: SiteSettings, lang: str) -> str:
    """'Edition 1.0, November 26, 2026' or 'ویرایش ۱٫۰، ۵ آذر ۱۴۰۵'."""
    comma = "، " if lang == "fa" else ", "
    return f"{edition_label(info.edition, lang)}{comma}{long_date(info.edition_date, lang)}"


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


# --- a page or section of the knowledge base ------------------------------------------------


def entry_title(page_title: str, section_title: str | None) -> str:
    return f"{page_title}: {section_title}" if section_title else page_title


def kb_apa(info: SiteSettings, lang: str, page_title: str, section_title: str | None) -> Formatted:
    """APA 7, as an entry in a reference work with an edition."""
    title = entry_title(page_title, section_title)
    year = citation_year(info.edition_date, lang)
    if lang == "fa":
        return _runs(f"{info.editors.fa} ({year}). «{title}». در ", (info.name.fa,),
                     f" ({edition_text(info, 'fa')}). {URL_SLOT}")
    return _runs(f"{info.editors.en}. ({year}). {title}. In ", (info.name.en,),
                 f" ({edition_text(info, 'en')}). {URL_SLOT}")


def kb_chicago(info: SiteSettings, lang: str, page_title: str, section_title: str | None) -> Formatted:
    """Chicago author-date, reference-list entry."""
    year = citation_year(info.edition_date, lang)
    if lang == "fa":
        title = entry_title(page_title, section_title)
        return _runs(f"{info.editors.fa}. {year}. «{title}». در ", (info.name.fa,),
                     f"، {edition_text(info, 'fa')}. {URL_SLOT}.")
    title = title_case(entry_title(page_title, section_title))
    return _runs(f"{info.editors.en}. {year}. “{title}.” In ", (title_case(info.name.en),),
                 f", edition {info.edition}, {long_date(info.edition_date, 'en')}. {URL_SLOT}.")


def bibtex_key(*parts: str) -> str:
    return "-".join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts if p)


class _BibTeX(str):
    """A field value that is BibTeX already (a list of names, the address slot): not escaped again."""


def _bibtex_names(names, protect: bool = True, others: bool = False) -> _BibTeX:
    """Names joined with ' and '; each protected in braces (a corporate or single name), or with
    only a standalone 'and' inside it protected, so that no name splits into two."""
    shown = [f"{{{escape.bibtex(name)}}}" if protect else _AND.sub("{and}", escape.bibtex(name)) for name in names]
    return _BibTeX(" and ".join(shown) + (" and others" if others else ""))


_AND = re.compile(r"(?<=\s)and(?=\s)", re.IGNORECASE)


def _bibtex(entry_type: str, key: str, fields: list[tuple[str, str]]) -> str:
    """One entry. Values are text, escaped here (escape.bibtex), unless they are _BibTeX."""
    width = max(len(name) for name, _ in fields)
    lines = [f"@{entry_type}{{{key},"]
    for name, value in fields:
        value = value if isinstance(value, _BibTeX) else escape.bibtex(value)
        lines.append(f"  {name.ljust(width)} = {{{value}}},")
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines) + "\n}\n"


def kb_bibtex(info: SiteSettings, lang: str, page_id: str, page_title: str,
              section_id: str | None, section_title: str | None) -> str:
    key = bibtex_key("diplomacykb", lang, page_id, "" if section_id == ID_SLOT else section_id or "")
    if section_id == ID_SLOT:
        key += f"-{ID_SLOT}"
    fields = [
        ("author", _bibtex_names([info.editors[lang]])),
        ("title", entry_title(page_title, section_title)),
        ("booktitle", info.name[lang]),
        ("edition", info.edition),
        ("year", str(info.edition_date.year)),
        ("date", info.edition_date.isoformat()),
        ("publisher", info.name[lang]),
        ("url", _BibTeX(URL_SLOT)),  # filled with the page's address, which has no braces
        ("language", "persian" if lang == "fa" else "english"),
    ]
    return _bibtex("incollection", key, fields)


def _ris(fields: list[tuple[str, str]]) -> str:
    """One record; each value on one line (escape.ris), so no value can start a tag or record."""
    return "".join(f"{tag}  - {escape.ris(value)}\n" for tag, value in fields) + "ER  - \n"


def kb_ris(info: SiteSettings, lang: str, page_title: str, section_title: str | None) -> str:
    return _ris([
        ("TY", "ENCYC"),
        ("AU", info.editors[lang]),
        ("TI", entry_title(page_title, section_title)),
        ("T2", info.name[lang]),
        ("ET", info.edition),
        ("PY", str(info.edition_date.year)),
        ("DA", info.edition_date.strftime("%Y/%m/%d")),
        ("PB", info.name[lang]),
        ("UR", URL_SLOT),
        ("LA", lang),
    ])


def kb_citations(info: SiteSettings, lang: str, page_id: str, page_title: str,
                 section_id: str | None = None, section_title: str | None = None) -> dict:
    """Every form of the citation of one page or section, for the page's script.

    With section_id=ID_SLOT and section_title=SECTION_SLOT it is the template for every section.
    """
    apa = kb_apa(info, lang, page_title, section_title)
    chicago = kb_chicago(info, lang, page_title, section_title)
    return {"apa": {"html": apa.html, "text": apa.text},
            "chicago": {"html": chicago.html, "text": chicago.text},
            "bibtex": kb_bibtex(info, lang, page_id, page_title, section_id, section_title),
            "ris": kb_ris(info, lang, page_title, section_title)}


# --- the source article and the works it cites --------------------------------------------


def _split_name(full: str) -> tuple[str, str]:
    """(given, family) from 'Afsane Khosravi' or 'علیرضا موسوی‌زاده'."""
    given, _, family = full.rpartition(" ")
    return given, family


def _initials(given: str) -> str:
    return " ".join(f"{part[0]}." for part in given.split() if part)


def _article_year(article: Article, lang: str) -> str:
    if article.year != UNKNOWN:
        return to_persian_digits(article.year) if lang == "fa" else article.year
    return "بی‌تا" if lang == "fa" else "n.d."


def _published_title_with_sic(article: Article, case=None) -> str:
    """The English title as published, each misspelling marked [sic] (APA: sentence case)."""
    title = case(article.published_title) if case else article.published_title
    for word in article.sic:
        shown = word.lower() if case is sentence_case else word
        title = re.sub(rf"\b{re.escape(word)}\b", f"{shown} [sic]", title, count=1, flags=re.IGNORECASE)
    return title


def article_authors_in_text(article: Article, lang: str) -> str:
    families = [_split_name(a.name[lang])[1] for a in article.authors]
    if len(families) >= 3:
        return f"{families[0]} و همکاران" if lang == "fa" else f"{families[0]} et al."
    return (" و " if lang == "fa" else " & ").join(families)


def _unknown_venue(article: Article, lang: str) -> str:
    kind = article.type[lang]
    if lang == "fa":
        return f"{kind}؛ نشریه، سال و صفحه‌ها نامعلوم"
    return f"{kind}; journal, year and pages unknown"


def article_apa(article: Article, lang: str) -> Formatted:
    """APA 7 reference-list entry for the source article, as far as it is known."""
    names = [_split_name(a.name[lang]) for a in article.authors]
    year = _article_year(article, lang)
    if lang == "fa":
        authors = "؛ ".join(f"{family}، {given}" for given, family in names)
        return _runs(f"{authors} ({year}). ", (article.title.fa,), f". [{_unknown_venue(article, 'fa')}]")
    authors = [f"{family}, {_initials(given)}" for given, family in names]
    joined = ", ".join(authors[:-1]) + f", & {authors[-1]}" if len(authors) > 1 else authors[0]
    title = _published_title_with_sic(article, sentence_case)
    return _runs(f"{joined} ({year}). ", (title,), f" [{_unknown_venue(article, 'en')}].")


def article_chicago(article: Article, lang: str) -> Formatted:
    """Chicago author-date reference-list entry for the source article."""
    names = [_split_name(a.name[lang]) for a in article.authors]
    year = _article_year(article, lang)
    if lang == "fa":
        first = f"{names[0][1]}، {names[0][0]}"
        rest = [f"{given} {family}" for given, family in names[1:]]
        authors = "، ".join([first] + rest[:-1]) + (f" و {rest[-1]}" if rest else "")
        return _runs(f"{authors}. {year}. «{article.title.fa}». {_unknown_venue(article, 'fa')}.")
    first = f"{names[0][1]}, {names[0][0]}"
    rest = [f"{given} {family}" for given, family in names[1:]]
    authors = ", ".join([first] + rest[:-1]) + (f", and {rest[-1]}" if rest else "")
    title = _published_title_with_sic(article, title_case)
    venue = _unknown_venue(article, "en")
    return _runs(f"{authors}. {_period(year)} “{title}.” {venue[0].upper()}{venue[1:]}.")


def _period(text: str) -> str:
    """A sentence end, without doubling the period of an abbreviation such as n.d."""
    return text if text.endswith(".") else text + "."


def _work_names(work: Work, lang: str) -> str:
    names = [a[lang] for a in work.authors]
    if work.et_al or len(names) >= 3:
        return f"{names[0]} و همکاران" if lang == "fa" else f"{names[0]} et al."
    if len(names) == 2:
        return f"{names[0]} و {names[1]}" if lang == "fa" else f"{names[0]} & {names[1]}"
    return names[0]


def secondary_in_text(work: Work, page: str, article: Article, style: str, lang: str) -> str:
    """In-text citation of a work the reader knows only through the article."""
    via_lang = lang
    script = "en" if lang == "en" or work.script == "en" else "fa"
    names = _work_names(work, script)
    year = work.year if work.year != UNKNOWN else ("n.d." if script == "en" else "بی‌تا")
    if lang == "en" and work.calendar == "solar-hijri":
        year = f"{year} SH"
    article_names = article_authors_in_text(article, via_lang)
    article_year = _article_year(article, via_lang)
    if lang == "fa":
        if script == "fa":
            core = f"{names}، {to_persian_digits(year)}: {to_persian_digits(page)}"
        else:
            core = f"{names}, {year}: {page}"
        return f"({core}، به نقل از {article_names}، {article_year})"
    if style == "apa":
        return f"({names}, {year}, p. {page}, as cited in {article_names}, {article_year})"
    return f"({names} {year}, {page}, cited in {article_names}{_chicago_year(article_year)})"


def _chicago_year(year: str) -> str:
    """Chicago puts a comma before n.d. ("Khosravi et al., n.d.") but not before a year."""
    return f", {year}" if year == "n.d." else f" {year}"


def article_in_text(article: Article, section_title: str, style: str, lang: str) -> str:
    """In-text citation of the article's own argument, located by section (pages are unknown)."""
    names = article_authors_in_text(article, lang)
    year = _article_year(article, lang)
    if lang == "fa":
        return f"({names}، {year}، بخش «{section_title}»)"
    if style == "apa":
        return f"({names}, {year}, section “{section_title}”)"
    return f"({names}{_chicago_year(year)}, section “{section_title}”)"


def _latin_author(author) -> str:
    """'Khosravi, Afsane': the article prints its authors' names in Latin script only."""
    given, family = _split_name(author.name.en)
    return f"{family}, {given}"


_ARTICLE_NAMES_NOTE = ("The article prints its authors' names in Latin script only; their Persian forms here "
                       "are a transliteration by the editors of Diplomacy KB: ")


def article_bibtex(article: Article) -> str:
    fields = [("author", _bibtex_names([_latin_author(a) for a in article.authors], protect=False)),
              ("title", article.title.fa),
              ("titleaddon", _published_title_with_sic(article)),
              ("howpublished", _unknown_venue(article, "en"))]
    if article.year != UNKNOWN:
        fields.append(("year", article.year))
    fields += [("language", "persian"),
               ("note", _ARTICLE_NAMES_NOTE + "; ".join(a.name.fa for a in article.authors) + ".")]
    return _bibtex("misc", article.id, fields)


def article_ris(article: Article) -> str:
    fields = [("TY", "JOUR")] + [("AU", _latin_author(a)) for a in article.authors]
    fields += [("TI", article.title.fa), ("TT", _published_title_with_sic(article)), ("LA", "fa"),
               ("N1", _unknown_venue(article, "en")),
               ("N1", _ARTICLE_NAMES_NOTE + "; ".join(a.name.fa for a in article.authors) + ".")]
    if article.year != UNKNOWN:
        fields.append(("PY", article.year))
    return _ris(fields)


def _work_note(work: Work) -> str:
    """What the exports say of a work the article cites without its details."""
    return ("Title, journal and publisher unknown: known only as cited in the source article, as "
            + "; ".join(work.as_cited))


def work_bibtex(work: Work) -> str:
    authors = _bibtex_names([a[work.script] for a in work.authors], others=work.et_al)
    year_note = (f"{work.year} (Solar Hijri, ≈ {gregorian_span(int(work.year))})"
                 if work.calendar == "solar-hijri" and work.year != UNKNOWN else work.year)
    note = _work_note(work) + f". Year as cited: {year_note}."
    other = "en" if work.script == "fa" else "fa"
    fields = [("author", authors), ("year", work.year),
              ("language", "persian" if work.script == "fa" else "english"),
              ("note", note),
              ("addendum", "Names in the other script: " + ", ".join(a[other] for a in work.authors))]
    return _bibtex("misc", work.id, fields)


def work_ris(work: Work) -> str:
    fields = [("TY", "GEN")] + [("AU", a[work.script]) for a in work.authors]
    if work.et_al:
        fields.append(("AU", "et al." if work.script == "en" else "و همکاران"))
    fields += [("PY", work.year), ("LA", work.script),
               ("N1", _work_note(work))]
    if work.calendar == "solar-hijri":
        fields.append(("N1", f"Solar Hijri year {work.year} (≈ {gregorian_span(int(work.year))})"))
    return _ris(fields)


def work_csl(work: Work) -> dict:
    item = {
        "id": work.id,
        "type": "document",
        "author": [{"family": a[work.script]} for a in work.authors] + ([{"literal": "et al."}] if work.et_al else []),
        "language": work.script,
        "note": _work_note(work),
    }
    if work.year != UNKNOWN:
        item["issued"] = ({"literal": f"{work.year} SH (≈ {gregorian_span(int(work.year))})"}
                          if work.calendar == "solar-hijri" else {"date-parts": [[int(work.year)]]})
    return item


def article_csl(article: Article) -> dict:
    return {
        "id": article.id,
        "type": "article-journal",
        "title": article.title.fa,
        "original-title": _published_title_with_sic(article),
        "author": [{"family": _split_name(a.name.en)[1], "given": _split_name(a.name.en)[0]}
                   for a in article.authors],
        "language": "fa",
        "note": _unknown_venue(article, "en"),
    }


def bibliography_bibtex(articles, works) -> str:
    header = "% Diplomacy KB bibliography: the source article and the works it cites (UTF-8).\n\n"
    return header + "\n".join([article_bibtex(a) for a in articles] + [work_bibtex(w) for w in works])


def bibliography_ris(articles, works) -> str:
    return "".join([article_ris(a) for a in articles] + [work_ris(w) for w in works])


def bibliography_csl_json(articles, works) -> str:
    items = [article_csl(a) for a in articles] + [work_csl(w) for w in works]
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"

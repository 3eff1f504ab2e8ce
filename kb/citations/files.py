"""Citations as reference-manager records: BibTeX, RIS and CSL-JSON.

Each value is escaped here, for its format, by the one function that writes the format
(_bibtex, _ris; CSL-JSON is JSON). Record text can never add a field or a record.
"""

from __future__ import annotations

import json
import re

from ..languages import LANGUAGES
from ..records.model import UNKNOWN, Article, SiteSettings, Work
from ..text import escape
from ..text.persian import gregorian_span
from .sources import published_title_with_sic, unknown_venue
from .text import split_name

URL_SLOT = "⟦URL⟧"
"""Where a citation's address goes when the build does not know the host (kb.yml's site_url is
empty): the page's script puts in the address the reader is on."""


class BibTeX(str):
    """A field value that is BibTeX already (a list of names, the address slot): not escaped again."""


_AND = re.compile(r"(?<=\s)and(?=\s)", re.IGNORECASE)


def bibtex_names(names, protect: bool = True, others: bool = False) -> BibTeX:
    """Names joined with ' and '; each protected in braces (a corporate or single name), or with
    only a standalone 'and' inside it protected, so that no name splits into two."""
    shown = [f"{{{escape.bibtex(name)}}}" if protect else _AND.sub("{and}", escape.bibtex(name)) for name in names]
    return BibTeX(" and ".join(shown) + (" and others" if others else ""))


def bibtex_key(*parts: str) -> str:
    return "-".join(re.sub(r"[^a-z0-9]+", "-", p.lower()).strip("-") for p in parts if p)


def bibtex_entry(entry_type: str, key: str, fields: list[tuple[str, str]]) -> str:
    """One entry. Values are text, escaped here (escape.bibtex), unless they are BibTeX."""
    width = max(len(name) for name, _ in fields)
    lines = [f"@{entry_type}{{{key},"]
    for name, value in fields:
        value = value if isinstance(value, BibTeX) else escape.bibtex(value)
        lines.append(f"  {name.ljust(width)} = {{{value}}},")
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines) + "\n}\n"


def ris_record(fields: list[tuple[str, str]]) -> str:
    """One record; each value on one line (escape.ris), so no value can start a tag or record."""
    return "".join(f"{tag}  - {escape.ris(value)}\n" for tag, value in fields) + "ER  - \n"


# --- a page or section of the knowledge base ----------------------------------------------------


def kb_bibtex(info: SiteSettings, lang: str, key: str, title: str, url: str = URL_SLOT) -> str:
    fields = [
        ("author", bibtex_names([info.editors[lang]])),
        ("title", title),
        ("booktitle", info.name[lang]),
        ("edition", info.edition),
        ("year", str(info.edition_date.year)),
        ("date", info.edition_date.isoformat()),
        ("publisher", info.name[lang]),
        ("url", BibTeX(url)),  # an address validated to need no escaping, or the slot for it
        ("language", "persian" if lang == "fa" else "english"),
    ]
    return bibtex_entry("incollection", key, fields)


def kb_ris(info: SiteSettings, lang: str, title: str, url: str = URL_SLOT) -> str:
    return ris_record([
        ("TY", "ENCYC"),
        ("AU", info.editors[lang]),
        ("TI", title),
        ("T2", info.name[lang]),
        ("ET", info.edition),
        ("PY", str(info.edition_date.year)),
        ("DA", info.edition_date.strftime("%Y/%m/%d")),
        ("PB", info.name[lang]),
        ("UR", url),
        ("LA", lang),
    ])


# --- the source article and the works it cites ----------------------------------------------


def _latin_author(author) -> str:
    """'Khosravi, Afsane': the article prints its authors' names in Latin script only."""
    given, family = split_name(author.name.en)
    return f"{family}, {given}"


_ARTICLE_NAMES_NOTE = ("The article prints its authors' names in Latin script only; their Persian forms here "
                       "are a transliteration by the editors of Diplomacy KB: ")


def article_bibtex(article: Article) -> str:
    fields = [("author", bibtex_names([_latin_author(a) for a in article.authors], protect=False)),
              ("title", article.title.fa),
              ("titleaddon", published_title_with_sic(article)),
              ("howpublished", unknown_venue(article, "en"))]
    if article.year != UNKNOWN:
        fields.append(("year", article.year))
    fields += [("language", "persian"),
               ("note", _ARTICLE_NAMES_NOTE + "; ".join(a.name.fa for a in article.authors) + ".")]
    return bibtex_entry("misc", article.id, fields)


def article_ris(article: Article) -> str:
    fields = [("TY", "JOUR")] + [("AU", _latin_author(a)) for a in article.authors]
    fields += [("TI", article.title.fa), ("TT", published_title_with_sic(article)), ("LA", "fa"),
               ("N1", unknown_venue(article, "en")),
               ("N1", _ARTICLE_NAMES_NOTE + "; ".join(a.name.fa for a in article.authors) + ".")]
    if article.year != UNKNOWN:
        fields.append(("PY", article.year))
    return ris_record(fields)


def _work_note(work: Work) -> str:
    """What the exports say of a work the article cites without its details."""
    return ("Title, journal and publisher unknown: known only as cited in the source article, as "
            + "; ".join(work.as_cited))


def work_bibtex(work: Work) -> str:
    authors = bibtex_names([a[work.script] for a in work.authors], others=work.et_al)
    year_note = (f"{work.year} (Solar Hijri, ≈ {gregorian_span(int(work.year))})"
                 if work.calendar == "solar-hijri" and work.year != UNKNOWN else work.year)
    note = _work_note(work) + f". Year as cited: {year_note}."
    other = "en" if work.script == "fa" else "fa"
    fields = [("author", authors), ("year", work.year),
              ("language", "persian" if work.script == "fa" else "english"),
              ("note", note),
              ("addendum", "Names in the other script: " + ", ".join(a[other] for a in work.authors))]
    return bibtex_entry("misc", work.id, fields)


def work_ris(work: Work) -> str:
    fields = [("TY", "GEN")] + [("AU", a[work.script]) for a in work.authors]
    if work.et_al:
        fields.append(("AU", LANGUAGES[work.script].et_al))
    fields += [("PY", work.year), ("LA", work.script),
               ("N1", _work_note(work))]
    if work.calendar == "solar-hijri":
        fields.append(("N1", f"Solar Hijri year {work.year} (≈ {gregorian_span(int(work.year))})"))
    return ris_record(fields)


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
        "original-title": published_title_with_sic(article),
        "author": [{"family": split_name(a.name.en)[1], "given": split_name(a.name.en)[0]}
                   for a in article.authors],
        "language": "fa",
        "note": unknown_venue(article, "en"),
    }


def bibliography_bibtex(articles, works) -> str:
    header = "% Diplomacy KB bibliography: the source article and the works it cites (UTF-8).\n\n"
    return header + "\n".join([article_bibtex(a) for a in articles] + [work_bibtex(w) for w in works])


def bibliography_ris(articles, works) -> str:
    return "".join([article_ris(a) for a in articles] + [work_ris(w) for w in works])


def bibliography_csl_json(articles, works) -> str:
    items = [article_csl(a) for a in articles] + [work_csl(w) for w in works]
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"

"""The helpers every page template gets as `r`: words, text, links, citations, in one language.

Record text goes through `text` (inline Markdown, links resolved, other-script runs marked) or
`html` (for raw HTML blocks); Jinja's `finalize` escapes anything else printed with {{ }}, so record
text cannot become markup.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from . import citations, escape
from .concept_map import neighbourhood_svg
from .inline import LINK, isolate_runs, render_inline
from .linking import KnowledgeBase
from .model import LANGUAGES, UNKNOWN, Article, Concept, SiteSettings, Source, Work, WorkCitation
from .persian import gregorian_span, to_persian_digits

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
LABELS_FILE = Path(__file__).resolve().parent / "labels.yaml"
OTHER = {"fa": "en", "en": "fa"}
DIRECTION = {"fa": "rtl", "en": "ltr"}


@lru_cache(maxsize=None)
def get_labels() -> dict[str, dict[str, str]]:
    labels = yaml.safe_load(LABELS_FILE.read_text(encoding="utf-8"))
    for key, value in labels.items():
        missing = [lang for lang in LANGUAGES if lang not in value]
        if missing:
            raise ValueError(f"{LABELS_FILE}: label '{key}' has no {', '.join(missing)} text")
    return labels


def _finalize(value):
    """What {{ }} prints. Only Markup (text a helper escaped for its context) and numbers may be
    printed: a template that prints a plain string has not said where it goes (Markdown, HTML
    text or an attribute), and fails here instead of writing record text unescaped."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Markup(value)
    raise TypeError(f"a template prints {value!r} without saying where it goes: pass it through "
                    "the md, html or attr filter (or a helper of r)")


@jinja2.pass_context
def _md_filter(context, value: str, lang: str | None = None) -> Markup:
    """Text as inline Markdown, shown as written (other-script runs marked)."""
    return Markup(isolate_runs(str(value), lang or context["lang"], escape.markdown))


@jinja2.pass_context
def _html_filter(context, value: str, lang: str | None = None) -> Markup:
    """Text inside an HTML element (other-script runs marked)."""
    return Markup(isolate_runs(str(value), lang or context["lang"], escape.html_text))


def _attr_filter(value: str) -> Markup:
    """A double-quoted HTML attribute value."""
    return Markup(escape.html_attribute(str(value)))


def _anchor_filter(value: str) -> Markup:
    """An id or anchor: validated ASCII slugs only (they are written as {#id}, id= and #id)."""
    if not ANCHOR.fullmatch(value):
        raise ValueError(f"{value!r} is not a safe anchor")
    return Markup(value)


ANCHOR = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@lru_cache(maxsize=None)
def get_environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        # `{#id}` is attr_list's heading-id syntax, which Jinja would read as a comment.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters.update(md=_md_filter, html=_html_filter, attr=_attr_filter, anchor=_anchor_filter)
    return env


@lru_cache(maxsize=65536)
def _relative_path(target: str, start: str) -> str:
    return posixpath.relpath(target, start)


class PageRenderer:
    """Helpers for one page in one language: text, links, citations, labels."""

    def __init__(self, kb: KnowledgeBase, lang: str, page_path: str, previews: bool = True):
        self.kb = kb
        self.lang = lang
        self.other = OTHER[lang]
        self.page_path = page_path  # relative to the language root, e.g. concepts/x.md
        self.previews = previews
        """Concept links carry the target's summary as a preview. Pages that list the whole knowledge
        base leave them out: they would be most of the page, and the glossary shows summaries."""
        self._labels = get_labels()

    # --- words -------------------------------------------------------------------------
    def t(self, key: str) -> Markup:
        """An interface label in the page language (runs of the other script marked, like record text)."""
        return Markup(isolate_runs(self._labels[key][self.lang], self.lang, escape.markdown))

    def html_label_with_link(self, key: str, slot: str, link_label: str, target: str) -> Markup:
        """A label as HTML whose {slot} becomes a link to target (a page path), labelled link_label."""
        before, _, after = self.raw_label(key).partition("{" + slot + "}")
        link = f'<a href="kbref:{target}">{escape.html_text(self.raw_label(link_label))}</a>'
        return Markup(isolate_runs(before, self.lang, escape.html_text) + link
                      + isolate_runs(after, self.lang, escape.html_text))

    def raw_label(self, key: str, lang: str | None = None) -> str:
        return self._labels[key][lang or self.lang]

    def num(self, value) -> Markup:
        """A number (or a page locator such as 15-16) in the page's digits."""
        text = to_persian_digits(str(value)) if self.lang == "fa" else str(value)
        return Markup(escape.html_text(text))

    # --- text ------------------------------------------------------------------------
    def text(self, value: str) -> Markup:
        """Record text as inline Markdown, with [[links]] resolved."""
        return Markup(render_inline(value, self.lang, self._inline_link))

    def plain(self, value: str, lang: str | None = None) -> Markup:
        """Record text as inline Markdown without links (headings, labels)."""
        return Markup(isolate_runs(value, lang or self.lang, escape.markdown))

    def html(self, value: str, lang: str | None = None) -> Markup:
        """Record text for a raw HTML block (no Markdown processing there)."""
        return Markup(isolate_runs(value, lang or self.lang, escape.html_text))

    def attr(self, value: str) -> Markup:
        return Markup(escape.html_attribute(value))

    def direction(self, lang: str) -> Markup:
        """The dir attribute value of a language."""
        return Markup(DIRECTION[lang])

    def other_lang(self, value: str) -> Markup:
        """A text in the other language, marked with its own lang and dir."""
        inner = escape.markdown(value)
        return Markup(f'<span lang="{self.other}" dir="{DIRECTION[self.other]}">{inner}</span>')

    # --- links -----------------------------------------------------------------------
    def href(self, target: str, anchor: str | None = None) -> Markup:
        """A relative link from this page to another page (paths relative to the language root)."""
        relative = _relative_path(target, posixpath.dirname(self.page_path) or ".")
        return Markup(escape.html_attribute(relative + (f"#{anchor}" if anchor else "")))

    def concept_href(self, concept_id: str, anchor: str | None = None) -> str:
        return self.href(f"concepts/{concept_id}.md", anchor)

    def concept_link(self, concept_id: str, label: str | None = None) -> Markup:
        """A Markdown link to a concept, whose title (shown as a preview) is the concept's summary."""
        concept = self.kb.concepts[concept_id]
        text = label if label is not None else concept.title[self.lang]
        if not self.previews:
            return Markup(f"[{isolate_runs(text, self.lang, escape.markdown)}]({self.concept_href(concept_id)})")
        # Python-Markdown keeps entities in a link title as written; it reads "\\" as "\".
        preview = escape.tooltip(self.preview(concept_id)).replace("\\", "\\\\")
        return Markup(f"[{isolate_runs(text, self.lang, escape.markdown)}]"
                      f'({self.concept_href(concept_id)} "{preview}")')

    # --- HTML for the long generated lists (Markdown would spend most of the build on them) ---
    def html_link(self, concept_id: str, label: str | None = None, anchor: str | None = None) -> str:
        """A link in raw HTML: kbref: is resolved to the page's URL by the MkDocs hook."""
        text = label if label is not None else self.kb.concepts[concept_id].title[self.lang]
        target = f"kbref:concepts/{concept_id}.md" + (f"#{anchor}" if anchor else "")
        return f'<a href="{target}">{isolate_runs(text, self.lang, escape.html_text)}</a>'

    def html_text(self, value: str) -> Markup:
        """Record text as HTML, with its [[links]]."""
        return Markup(render_inline(value, self.lang, lambda target, label: self.html_link(target, label),
                                    html_mode=True))

    def html_other(self, value: str) -> Markup:
        return Markup(f'<span lang="{self.other}" dir="{DIRECTION[self.other]}">{escape.html_text(value)}</span>')

    def html_links(self, concept_ids) -> Markup:
        separator = escape.html_text(self.raw_label("list_separator"))
        return Markup(separator.join(self.html_link(cid) for cid in concept_ids))

    def concept_tree(self, roots, children: dict[str, list[str]]) -> Markup:
        """Nested lists: each concept with its title in the other language, its narrower ones below."""
        def branch(ids) -> str:
            items = "".join(f"<li>{self.html_link(cid)}: {self.html_other(self.kb.concepts[cid].title[self.other])}"
                            f"{branch(children[cid]) if children[cid] else ''}</li>" for cid in ids)
            return f"<ul>{items}</ul>"
        return Markup(branch(roots))

    def preview(self, concept_id: str, limit: int = 240) -> str:
        """The concept's summary as plain text, short enough for a tooltip."""
        def link_text(m) -> str:  # a [[link]] as the words it shows: its label, else its target's title
            target, label = m.group(1).strip(), m.group(2)
            if label:
                return label
            return self.kb.concepts[target].title[self.lang] if target in self.kb.concepts else m.group(1)

        summary = LINK.sub(link_text, self.kb.concepts[concept_id].summary[self.lang])
        return summary if len(summary) <= limit else summary[: limit - 1].rsplit(" ", 1)[0] + "…"

    def map_legend(self) -> dict[str, str]:
        """Line styles: one for the hierarchy (broader above, narrower below), one each for the rest."""
        return {"broader": self.raw_label("map_hierarchy"), "related": self.raw_label("related"),
                "contrasted": self.raw_label("contrasted"), "inferred": self.raw_label("map_inference")}

    def neighbourhood_map(self, concept: Concept) -> Markup:
        label = f"{self.raw_label('map_of')} {concept.title[self.lang]}. {self.raw_label('map_same_as_list')}"
        return Markup(neighbourhood_svg(self.kb, concept.id, self.lang, label, self.map_legend()))

    def _inline_link(self, target: str, label: str | None) -> str:
        return str(self.concept_link(target, label))

    def article_href(self, article_id: str, section: str | None = None) -> str:
        return self.href(f"articles/{article_id}.md", section)

    def work_href(self, work_id: str) -> str:
        return self.href("bibliography.md", work_id)

    def join(self, items) -> Markup:
        """Markdown items joined with the list separator."""
        return Markup(escape.markdown(self.raw_label("list_separator")).join(str(i) for i in items))

    def concept_links(self, concept_ids) -> Markup:
        return self.join(self.concept_link(cid) for cid in concept_ids)

    def relation_links(self, concept_id: str, targets) -> Markup:
        """The concepts concept_id is related to, each the editors infer marked as such."""
        return self.join(f"{self.concept_link(t)}{self._inference_mark(concept_id, t, escape.markdown)}"
                         for t in targets)

    def html_relation_links(self, concept_id: str, targets) -> Markup:
        separator = escape.html_text(self.raw_label("list_separator"))
        return Markup(separator.join(f"{self.html_link(t)}{self._inference_mark(concept_id, t, escape.html_text)}"
                                     for t in targets))

    def _inference_mark(self, concept_id: str, target: str, escaper) -> str:
        if frozenset((concept_id, target)) not in self.kb.inferences:
            return ""
        return f' <span class="kb-inferred">({escaper(self.raw_label("editors_inference"))})</span>'

    def in_script_list(self, values, script: str) -> Markup:
        return self.join(self.in_script(v, script) for v in values)

    def author_names_of(self, article: Article) -> Markup:
        return self.join(self.plain(a.name[self.lang]) for a in article.authors)

    # --- works and citations ------------------------------------------------------------
    def cite_lang(self, work: Work) -> str:
        """The language a citation of work is written in on this page."""
        return "en" if self.lang == "en" or work.script == "en" else "fa"

    def author_names(self, work: Work, lang: str) -> str:
        """Short author list for an in-text citation: 'X', 'X and Y', 'X et al.'."""
        names = [a[lang] for a in work.authors]
        if len(names) == 1 and not work.et_al:
            return names[0]
        if len(names) == 2 and not work.et_al:
            joiner = " و " if lang == "fa" else " & "
            return joiner.join(names)
        return f"{names[0]} {self._labels['et_al'][lang]}"

    def year_short(self, work: Work, lang: str) -> str:
        if work.year == UNKNOWN:
            return self._labels["unknown"][lang]
        if lang == "en" and work.calendar == "solar-hijri":
            return f"{work.year} SH"
        return to_persian_digits(work.year) if lang == "fa" else work.year

    def year_long(self, year: str, calendar: str, lang: str | None = None) -> str:
        """'1397 SH (≈ 2018–19 CE)' / '۱۳۹۷ ش (≈ ۲۰۱۸–۱۹ م)' / '2008'."""
        lang = lang or self.lang
        if year == UNKNOWN:
            return self._labels["unknown"][lang]
        if calendar != "solar-hijri":
            return to_persian_digits(year) if lang == "fa" else year
        sh, g = self._labels["solar_hijri_abbr"][lang], self._labels["gregorian_abbr"][lang]
        text = f"{year} {sh} (≈ {gregorian_span(int(year))} {g})"
        return to_persian_digits(text) if lang == "fa" else text

    def citation_text(self, work: Work, page: str | None) -> str:
        lang = self.cite_lang(work)
        comma = "، " if lang == "fa" else ", "
        text = f"{self.author_names(work, lang)}{comma}{self.year_short(work, lang)}"
        if page:
            text += f": {to_persian_digits(page) if lang == 'fa' else page}"
        return text

    def cite(self, sources) -> Markup:
        """In-text citations, one parenthesis per source, each linked to its entry."""
        return Markup(" ".join(str(self.cite_one(s)) for s in sources))

    def cite_one(self, source: Source) -> Markup:
        if isinstance(source, WorkCitation):
            work = self.kb.works[source.work]
            lang = self.cite_lang(work)
            label = escape.markdown(self.citation_text(work, source.page))
            link = f"([{label}]({self.work_href(work.id)}))"
            key = f"{work.id}:{source.page}"
            if lang != self.lang:
                return Markup(f'<span class="kb-cite" lang="{lang}" dir="{DIRECTION[lang]}" '
                              f'data-kb-source="{key}">{link}</span>')
            return Markup(f'<span class="kb-cite" data-kb-source="{key}">{link}</span>')
        article = self.kb.articles[source.article]
        section = next(s for s in article.outline if s.id == source.section)
        label = (f"{self.raw_label('the_article_short')}{self.raw_label('list_separator')}"
                 f"{section.title[self.lang]}")
        link = f"[{isolate_runs(label, self.lang, escape.markdown)}]" \
               f"({self.article_href(article.id, section.id)})"
        return Markup(f'<span class="kb-cite kb-cite-article" data-kb-source="{article.id}#{section.id}" '
                      f'title="{escape.tooltip(self.raw_label("article_own_words"))}">({link})</span>')

    def in_script(self, value: str, script: str) -> Markup:
        """Text in a given script: plain in the page language, else marked with lang and dir."""
        return self.plain(value) if script == self.lang else self.other_lang(value)

    def bibliographic_fields(self, work: Work) -> list[tuple[str, object]]:
        return [("title", work.title), ("container", work.container), ("publisher", work.publisher)]

    def html_in_script(self, value: str, script: str) -> Markup:
        if script == self.lang:
            return self.html(value)
        return Markup(f'<span lang="{script}" dir="{DIRECTION[script]}">{escape.html_text(value)}</span>')

    def html_in_script_list(self, values, script: str) -> Markup:
        separator = escape.html_text(self.raw_label("list_separator"))
        return Markup(separator.join(self.html_in_script(v, script) for v in values))

    def html_author_pairs(self, work: Work) -> Markup:
        """'دهشیری (Dehshiri)': each name as cited, then our transliteration."""
        other = OTHER[work.script]
        return Markup(escape.html_text(self.raw_label("list_separator")).join(
            f"{self.html_in_script(a[work.script], work.script)} ({self.html_in_script(a[other], other)})"
            for a in work.authors))

    def html_unknown(self) -> Markup:
        return Markup(f'<span class="kb-unknown">{escape.html_text(self.raw_label("unknown"))}</span> '
                      f'({escape.html_text(self.raw_label("unknown_in_article"))})')

    def unknown(self) -> Markup:
        """A visible 'unknown: not given in the article' marker."""
        return Markup(f'<span class="kb-unknown">{escape.markdown(self.raw_label("unknown"))}</span> '
                      f'({escape.markdown(self.raw_label("unknown_in_article"))})')

    def cited_on(self, found) -> Markup:
        """The "cited on" list of a bibliography entry, as HTML: one item per place a work is cited."""
        page, items, links = escape.html_text(self.raw_label("page_abbr")), [], {}
        separator = escape.html_text(self.raw_label("list_separator"))
        for c in found:
            key = (c.concept, c.section)
            if key not in links:
                label = self.raw_label("concept_section").format(concept=self.kb.concepts[c.concept].title[self.lang],
                                                              section=self.concept_section_title(*key))
                links[key] = self.html_link(c.concept, label, c.section)
            items.append(f"<li>{links[key]}{separator}{page} {self.num(c.page)}</li>")
        return Markup("<ul>" + "".join(items) + "</ul>")

    def concept_section_title(self, concept_id: str, section_id: str) -> str:
        if section_id == "definitions":
            return self.raw_label("definitions")
        concept = self.kb.concepts[concept_id]
        return next(s.title[self.lang] for s in concept.sections if s.id == section_id)

    def edition(self, settings: SiteSettings) -> str:
        return citations.edition_text(settings, self.lang)

    def section_title(self, article: Article, section_id: str) -> str:
        return next(s.title[self.lang] for s in article.outline if s.id == section_id)


    # --- citing -------------------------------------------------------------------------
    def site_root(self) -> str:
        """The site-relative path of this page's language root: '' or 'en/'."""
        return "" if self.lang == "fa" else "en/"

    def page_url(self, settings: SiteSettings, anchor: str | None = None) -> str:
        """The page's address: absolute with kb.yml's site_url, else the path from the site root."""
        path = self.site_root() + self.page_path.removesuffix("index.md").removesuffix(".md")
        if not path.endswith("/") and path:
            path += "/"
        url = (settings.site_url or "") + path
        return url + (f"#{anchor}" if anchor else "")

    def citation_static(self, entry: dict, settings: SiteSettings, anchor: str | None = None) -> dict:
        """One entry's citations for the page itself (no script): the address filled in as far as known."""
        url = self.page_url(settings, anchor)
        shown = f'<span class="kb-url" dir="ltr">{escape.html_text(url)}</span>'
        fill = (lambda text, value: text.replace(citations.URL_SLOT, value))  # noqa: E731
        return {"apa": Markup(fill(entry["apa"]["html"], shown)),
                "chicago": Markup(fill(entry["chicago"]["html"], shown)),
                "bibtex": fill(entry["bibtex"], url), "ris": fill(entry["ris"], url)}

    def citation_json(self, data: dict) -> Markup:
        """Data for overrides/assets/javascripts/kb-cite.js, safe inside a <script> element."""
        return Markup(escape.script_json(data))

    def html_escape(self, text: str) -> Markup:
        """Text for a <pre> block (BibTeX, RIS): escaped, its line breaks kept."""
        return Markup(escape.html_preformatted(text))

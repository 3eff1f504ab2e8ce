"""Record text and interface words as one page writes them: in Markdown or in HTML.

A page template gets two writers with the same methods, `md` for Markdown and `html` for the raw
HTML blocks inside it (the long generated lists, where Markdown would cost most of the build).
They differ only in how text is escaped and how a link is written. Everything they return is
Markup, escaped for its context: runs of the other script are marked with their own lang and
dir, [[links]] in record text become links, and nothing a record says becomes markup.
"""

from __future__ import annotations

from typing import Callable

from markupsafe import Markup

from ..languages import LANGUAGES
from ..records.model import Article
from ..text import escape
from ..text.inline import LINK, isolate_runs, render_inline
from .urls import PageUrls
from .words import Words

PREVIEW_LENGTH = 240


class Writer:
    """Writes for one page in one language, in one output context (Markdown or HTML)."""

    def __init__(self, kb, words: Words, urls: PageUrls, markdown: bool, previews: bool = True):
        self.kb, self.words, self.urls = kb, words, urls
        self.lang = LANGUAGES[words.lang]
        self.markdown = markdown
        self.previews = previews and markdown
        """Concept links carry the target's summary as a preview. Pages that list the whole knowledge
        base leave them out: they would be most of the page, and the glossary shows summaries."""
        self._escape: Callable[[str], str] = escape.markdown if markdown else escape.html_text

    # --- text -------------------------------------------------------------------------------
    def text(self, value: str, lang: str | None = None) -> Markup:
        """Plain text (a title, a name), other-script runs marked."""
        return Markup(isolate_runs(value, lang or self.lang.code, self._escape))

    def linked(self, value: str) -> Markup:
        """Record text with its [[links]]."""
        return Markup(render_inline(value, self.lang.code, lambda target, label: str(self.concept_link(target, label)),
                                    html_mode=not self.markdown))

    def label(self, key: str) -> Markup:
        """An interface word in the page's language."""
        return self.text(self.words(key))

    def other(self, value: str) -> Markup:
        """A text in the other language, marked with its own lang and dir."""
        return self.in_script(value, self.lang.other.code)

    def in_script(self, value: str, script: str) -> Markup:
        """Text in a given script: plain in the page's language, else marked with lang and dir."""
        if script == self.lang.code:
            return self.text(value)
        return Markup(f'<span lang="{script}" dir="{LANGUAGES[script].direction}">{self._escape(value)}</span>')

    def in_script_list(self, values, script: str) -> Markup:
        return self.join(self.in_script(v, script) for v in values)

    def unknown(self) -> Markup:
        """A visible 'unknown (not given in the article)'."""
        return Markup(f'<span class="kb-unknown">{self._escape(self.words("unknown"))}</span> '
                      f'({self._escape(self.words("unknown_in_article"))})')

    def number(self, value) -> Markup:
        """A number (or a page locator such as 15-16) in the page's digits."""
        return Markup(escape.html_text(self.lang.digits(str(value))))

    def join(self, items) -> Markup:
        """Items joined with the language's list separator."""
        return Markup(self._escape(self.lang.list_separator).join(str(i) for i in items))

    def author_names(self, article: Article) -> Markup:
        return self.join(self.text(a.name[self.lang.code]) for a in article.authors)

    def author_pairs(self, work) -> Markup:
        """'دهشیری (Dehshiri)': each of a work's authors as the article writes the name, then the
        editors' transliteration."""
        other = LANGUAGES[work.script].other.code
        return self.join(f"{self.in_script(a[work.script], work.script)} ({self.in_script(a[other], other)})"
                         for a in work.authors)

    def preformatted(self, text: str) -> Markup:
        """Text for a <pre> block (a BibTeX or RIS record): escaped, its line breaks kept."""
        return Markup(escape.html_preformatted(text))

    def label_with_link(self, key: str, slot: str, link_label: str, target: str) -> Markup:
        """An interface word whose {slot} becomes a link to target (a page path), labelled link_label."""
        before, _, after = self.words(key).partition("{" + slot + "}")
        link = self._link(self.urls.to(target), self.words(link_label))
        return Markup(f"{self.text(before)}{link}{self.text(after)}")

    # --- links --------------------------------------------------------------------------------
    def _link(self, href: str, label: str, preview: str | None = None) -> str:
        text = isolate_runs(label, self.lang.code, self._escape)
        if not self.markdown:
            return f'<a href="{escape.html_attribute(href)}">{text}</a>'
        if preview is None:
            return f"[{text}]({href})"
        # Raw HTML, not a Markdown link title: record text in a title could end the Markdown
        # link early (a ")" or "\"") and turn the rest into its address.
        return f'<a href="{escape.html_attribute(href)}" title="{escape.tooltip(preview)}">{text}</a>'

    def concept_link(self, concept_id: str, label: str | None = None, anchor: str | None = None) -> Markup:
        """A link to a concept; in Markdown its title (shown as a preview) is the concept's summary."""
        text = label if label is not None else self.kb.concepts[concept_id].title[self.lang.code]
        preview = self._preview(concept_id) if self.previews else None
        return Markup(self._link(self.urls.concept(concept_id, anchor), text, preview))

    def link(self, path: str, label: str, anchor: str | None = None) -> Markup:
        """A link to another page of this language, such as 'glossary.md'."""
        return Markup(self._link(self.urls.to(path, anchor), label))

    def concept_links(self, concept_ids) -> Markup:
        return self.join(self.concept_link(cid) for cid in concept_ids)

    def relation_links(self, concept_id: str, targets) -> Markup:
        """The concepts concept_id is related to; those the editors infer are marked as such."""
        return self.join(f"{self.concept_link(t)}{self._inference_mark(concept_id, t)}" for t in targets)

    def _inference_mark(self, concept_id: str, target: str) -> str:
        if frozenset((concept_id, target)) not in self.kb.inferences:
            return ""
        return f' <span class="kb-inferred">({self._escape(self.words("editors_inference"))})</span>'

    def concept_tree(self, roots, children: dict[str, list[str]]) -> Markup:
        """Nested lists: each concept with its title in the other language, its narrower ones below."""
        other = self.lang.other.code

        def branch(ids) -> str:
            items = "".join(f"<li>{self.concept_link(cid)}: {self.other(self.kb.concepts[cid].title[other])}"
                            f"{branch(children[cid]) if children[cid] else ''}</li>" for cid in ids)
            return f"<ul>{items}</ul>"
        return Markup(branch(roots))

    def _preview(self, concept_id: str) -> str:
        """The concept's summary as plain text, short enough for a tooltip."""
        def link_text(m) -> str:  # a [[link]] as the words it shows: its label, else its target's title
            target, label = m.group(1).strip(), m.group(2)
            if label:
                return label
            concepts = self.kb.concepts
            return concepts[target].title[self.lang.code] if target in concepts else m.group(1)

        summary = LINK.sub(link_text, self.kb.concepts[concept_id].summary[self.lang.code])
        if len(summary) <= PREVIEW_LENGTH:
            return summary
        return summary[: PREVIEW_LENGTH - 1].rsplit(" ", 1)[0] + "…"

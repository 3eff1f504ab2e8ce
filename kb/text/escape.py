"""Record text made safe for the one place it is written: one function per output context.

Records arrive from contributors, so every value they hold is untrusted text. Each output
context has its own rules, and each has exactly one function here; nothing else in kb/ escapes.

    markdown        inline Markdown (Python-Markdown): shown as written, never structure
    html_text       text inside an HTML element
    html_preformatted  text inside <pre> (a BibTeX or RIS record shown on the page)
    html_attribute  a double-quoted HTML attribute value
    tooltip         a link's title, which Material's `content.tooltips` inserts as HTML
    script_json     JSON inside <script type="application/json">
    xml_text        text and attribute values in SVG (XML)
    bibtex          a braced BibTeX field value
    ris             an RIS field value (one line)

Prose fields may hold line breaks (validation refuses them in one-line fields, and the model
joins the lines of prose). Every function here also writes its text on one line, so a line
break can never become structure: a new paragraph, a heading or an export field.
"""

from __future__ import annotations

import json
import re

_WHITESPACE = re.compile(r"\s+")

_MARKDOWN_SYNTAX = "\\`*_[]{}"
"""Markdown's inline syntax: code, emphasis, links and images, attribute lists ({: …}, {#id})."""
_MARKDOWN_PUNCTUATION = re.compile("[" + re.escape(_MARKDOWN_SYNTAX) + "]")
"""Backslash-escaped everywhere in Markdown text."""
_BLOCK_START = re.compile(r"^([#+!-]|\d+[.)])")
"""What starts a heading, list or admonition at the start of a paragraph ('>' is escaped as &gt;)."""


def _html(text: str) -> str:
    """&, <, > and the double quote as entities. The single quote stays: every attribute this
    package writes is double-quoted."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def single_line(text: str) -> str:
    """Text on one line: every run of white space that holds a line break becomes one space."""
    return _WHITESPACE.sub(" ", text) if "\n" in text or "\t" in text else text


_MARKDOWN_IN_HTML = {ord(c): f"&#{ord(c)};" for c in _MARKDOWN_SYNTAX}
"""Characters of Markdown's inline syntax, as character references where HTML is written inside
Markdown (the pages are Markdown): Python-Markdown reads links, emphasis and code spans even
inside an inline tag's attributes and between its tags, before it sees the tag as HTML. A
browser reads the references as the characters themselves."""


def _inert(text: str) -> str:
    return _html(text).translate(_MARKDOWN_IN_HTML)


def html_text(text: str) -> str:
    """Text inside an HTML element (also one inside Markdown). The double quote is escaped too, so
    that record text can never spell an attribute (such as href="…") that a later step looks for."""
    return _inert(single_line(text))


def html_preformatted(text: str) -> str:
    """Text inside <pre>: escaped, its line breaks kept (they are the record's own format, such
    as one RIS tag a line, made by this package)."""
    return _html(text)


def html_attribute(text: str) -> str:
    """A double-quoted attribute value, on one line (also of a tag inside Markdown)."""
    return _inert(single_line(text))


def tooltip(text: str) -> str:
    """A link's title attribute for Material's `content.tooltips`.

    Material reads the attribute and inserts it with innerHTML (bundle: `n.innerHTML=t`), so the
    attribute must hold HTML-escaped text: it is escaped twice. (Without JavaScript the browser's
    own tooltip shows the attribute as it is, entities and all; previews rarely hold < > &.)
    """
    # html_attribute then writes "&amp;lt;" for "<": Material's innerHTML reads "&lt;", text
    return html_attribute(single_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def markdown(text: str) -> str:
    """Inline Markdown that Python-Markdown shows as written: no HTML, no Markdown syntax, and
    no line breaks that could start a block."""
    return _MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", _html(single_line(text)))


def markdown_block_start(markdown_text: str) -> str:
    """Escape a leading '#', '-', '1.' … of Markdown that begins a paragraph, and leading spaces
    (four would start a code block)."""
    markdown_text = markdown_text.lstrip(" ")
    match = _BLOCK_START.match(markdown_text)
    if not match:
        return markdown_text
    end = match.end() - 1
    return markdown_text[:end] + "\\" + markdown_text[end:]


def script_json(data) -> str:
    """JSON that is safe inside a <script> element: <, > and & are written as \\u003c, \\u003e and
    \\u0026, so no `</script>` or `<!--` can end or swallow the element; U+2028/9 are escaped for
    older JavaScript parsers."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def xml_text(text: str) -> str:
    """Text or a double-quoted attribute value in SVG, on one line."""
    return _html(single_line(text))


_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}",
    "%": r"\%", "&": r"\&", "#": r"\#", "$": r"\$", "_": r"\_",
    "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
}
_BIBTEX_CHARACTER = re.compile(r"[\\{}%&#$_^~]")


def bibtex(text: str) -> str:
    """A value inside a braced BibTeX field, on one line. BibTeX counts every brace, escaped or
    not, so a record's braces are written as LaTeX commands: no value can close its field. The
    braces this adds come in pairs."""
    return _BIBTEX_CHARACTER.sub(lambda m: _BIBTEX_SPECIAL[m.group(0)], single_line(text))


def ris(text: str) -> str:
    """An RIS value: one line, so it can never start a tag or a record of its own."""
    return single_line(text).strip()

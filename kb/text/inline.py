"""Record text to safe inline Markdown: escaped, linked and bidi-isolated.

Record text is data, not markup. Everything a record says is escaped for both
HTML and Markdown, so `<script>` or `*x*` shows up as written. The only syntax
a record may use is [[concept-id]] or [[concept-id|label]] for a link.

Runs of the other script are wrapped in an element with its own lang and dir:
Latin inside Persian, Persian inside English. An element with `dir` is a bidi
isolate, so "(Van Overbeek, 2008: 20)" keeps its order even where a line wraps.
"""

from __future__ import annotations

import re
from typing import Callable

from . import escape, folding
from .persian import to_persian_digits

LINK = re.compile(r"\[\[([^\[\]|]+?)(?:\|([^\[\]]+?))?\]\]")

_LATIN = r"A-Za-z\u00c0-\u024f"
LATIN_RUN = re.compile(folding.LATIN_RUN)
"""A run of Latin script, with an anchor's leading '#' (#definitions)."""
_ABBREVIATION = re.compile(rf"(?:^|[\s.])[{_LATIN}]{{1,3}}\.$")
"""A run ending in an abbreviation (et al., p., pp., U.S.) keeps its full stop; any other run ends
before it, since a full stop after the last Latin word of a Persian sentence belongs to the Persian
sentence and must stand at its end, on the left."""
_ARABIC_SCRIPT = r"\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff"
PERSIAN_RUN = re.compile(rf"[{_ARABIC_SCRIPT}][{_ARABIC_SCRIPT}\u200c ]*[{_ARABIC_SCRIPT}]|"
                         rf"[{_ARABIC_SCRIPT}]")


def find_links(text: str) -> list[tuple[str, str | None]]:
    """The [[target|label]] links in a text, as (target, label or None)."""
    return [(m.group(1).strip(), m.group(2)) for m in LINK.finditer(text)]


def isolate_runs(text: str, lang: str, escape: Callable[[str], str]) -> str:
    """Escape text, wrapping runs of the other script in a lang/dir isolate. Digits are made
    Persian before escaping, so that no entity the escaping writes (&#x27;) is changed."""
    pattern, other = (LATIN_RUN, "en") if lang == "fa" else (PERSIAN_RUN, "fa")
    direction = "ltr" if other == "en" else "rtl"
    out, last = [], 0
    for match in pattern.finditer(text):
        run = match.group(0)
        if lang == "fa" and run.endswith(".") and not _ABBREVIATION.search(run):
            run = run[:-1]
        out.append(escape(_localise(text[last:match.start()], lang)))
        out.append(f'<span lang="{other}" dir="{direction}">{escape(run)}</span>')
        last = match.start() + len(run)
    out.append(escape(_localise(text[last:], lang)))
    return "".join(out)


def _localise(text: str, lang: str) -> str:
    return to_persian_digits(text) if lang == "fa" else text


def render_inline(text: str, lang: str, link: Callable[[str, str | None], str], html_mode: bool = False) -> str:
    """Record text as inline Markdown (or, with html_mode, HTML); link(target, label) renders each [[link]]."""
    escaper = escape.html_text if html_mode else escape.markdown
    out, last = [], 0
    for match in LINK.finditer(text):
        out.append(isolate_runs(text[last:match.start()], lang, escaper))
        out.append(link(match.group(1).strip(), match.group(2)))
        last = match.end()
    out.append(isolate_runs(text[last:], lang, escaper))
    return "".join(out) if html_mode else escape.markdown_block_start("".join(out))


"""Search: what each language's site can be searched for, and the files its search box reads.

documents.py makes one search document per page; lexicon.py the names and spellings the query
script looks up; bundle.py the files (Pagefind's index for the published site, one script for the
offline copy). Index and query are folded with the one table of text/folding.py.
"""

from __future__ import annotations

from pathlib import Path

from ..languages import CODES
from ..linking import KnowledgeBase
from ..render.output import OutputPage
from ..render.urls import FILE
from ..render.words import Words, read_labels
from .bundle import search_files
from .documents import search_documents


def site_search_files(kb: KnowledgeBase, docs: Path, generated: set[str], style: str) -> list[OutputPage]:
    """The search files of both languages' sites. The hand-written pages are found in docs/ (the
    Markdown files build_kb did not generate, listed in generated)."""
    labels, files = read_labels(), []
    for lang in CODES:
        hand_written = sorted((p, p.relative_to(docs / lang).as_posix()) for p in (docs / lang).rglob("*.md")
                              if p.relative_to(docs).as_posix() not in generated)
        words = Words(labels, lang)
        documents = search_documents(kb, lang, words, hand_written)
        files += search_files(documents, lang, words, offline=style == FILE, style=style)
    return files

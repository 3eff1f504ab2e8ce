"""Where each page is published, and the link from one page to another: the one URL helper.

A page is named by its path inside its language's folder of docs/ ("concepts/x.md"). Its URL
depends on the build's URL style: "directory" for the published site (concepts/x/) and "file"
for the offline copy, which is read from disk (concepts/x.html). Every link the build writes is
relative, so the site works under any path prefix, and is final: no site generator has to
resolve it. Relative URLs are computed as MkDocs computes them (tests/test_urls.py compares).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..languages import LANGUAGES

DIRECTORY = "directory"
FILE = "file"


def page_url(path: str, style: str = DIRECTORY) -> str:
    """The URL of a page, from its language's site root: 'concepts/x/', '' (the home page)."""
    stem = path.removesuffix(".md")
    if style == FILE:
        return stem + ".html"
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else stem + "/"


def relative_url(url: str, start: str) -> str:
    """url relative to the page at start (both from one site root), as MkDocs' get_relative_url."""
    folder, _, last = start.rpartition("/")
    if "." in last:
        start = folder
    start_parts, parts = _parts(start), _parts(url)
    common = 0
    for a, b in zip(start_parts, parts):
        if a != b:
            break
        common += 1
    relative = "/".join([".."] * (len(start_parts) - common) + parts[common:]) or "."
    return relative + "/" if url.endswith("/") else relative


def _parts(url: str) -> list[str]:
    parts: list[str] = []
    for part in url.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part and part != ".":
            parts.append(part)
    return parts


def edition_root(edition: str) -> str:
    """Where an edition's fixed copy of the site is, from the site's root ('editions/1.0/')."""
    return f"editions/{edition}/"


@dataclass(frozen=True)
class PageUrls:
    """The links of one page: to other pages of its language, to files, to editions, and its own
    address."""

    lang: str
    page: str
    """The page's path in its language's folder, such as 'concepts/x.md'."""
    style: str = DIRECTORY
    archive: str | None = None
    """The edition whose fixed copy this page is part of; None for the current site."""

    @property
    def url(self) -> str:
        return page_url(self.page, self.style)

    @property
    def _root(self) -> str:
        """This page's language site, from the site's root (inside its edition's copy, if any)."""
        return (edition_root(self.archive) if self.archive else "") + LANGUAGES[self.lang].site_root

    def from_site_root(self, edition: str | None = None, path: str | None = None, style: str = DIRECTORY) -> str:
        """A page (this one by default) of this language, in an edition's fixed copy or (edition
        None) in the current site, from the root of the published site ('editions/1.1/en/concepts/x/')."""
        return (edition_root(edition) if edition else "") + LANGUAGES[self.lang].site_root + page_url(path or self.page, style)

    def _from_here(self, target: str, anchor: str | None = None) -> str:
        return relative_url(target, self._root + self.url) + (f"#{anchor}" if anchor else "")

    def in_edition(self, edition: str, path: str | None = None) -> str | None:
        """The relative link to a page (this one by default) in an edition's fixed copy; None in
        the offline copy, which holds no edition."""
        return self._from_here(self.from_site_root(edition, path)) if self.style == DIRECTORY else None

    def in_current(self, path: str | None = None, anchor: str | None = None) -> str:
        """The relative link to a page (this one by default) of the current site."""
        return self._from_here(self.from_site_root(None, path), anchor)

    def cited(self, edition: str | None) -> str:
        """The address a citation of this page names, relative to this page: the page in the
        edition's fixed copy, or (edition None) the current page."""
        return self._from_here(self.from_site_root(edition, style=self.style))

    def to(self, path: str, anchor: str | None = None) -> str:
        """The relative link to another page of the same language (a path such as 'glossary.md')."""
        return relative_url(page_url(path, self.style), self.url) + (f"#{anchor}" if anchor else "")

    def to_file(self, path: str) -> str:
        """The relative link to a file of this language's site, such as 'downloads/bibliography.bib'."""
        return relative_url(path, self.url)

    def to_site_file(self, path: str) -> str:
        """The relative link to a file at the root of the whole site (both languages), such as
        'kb.json' or 'downloads/diplomacy-kb-offline.zip'."""
        return relative_url(path, LANGUAGES[self.lang].site_root + self.url)

    def concept(self, concept_id: str, anchor: str | None = None) -> str:
        return self.to(f"concepts/{concept_id}.md", anchor)

    def article(self, article_id: str, anchor: str | None = None) -> str:
        return self.to(f"articles/{article_id}.md", anchor)

    def work(self, work_id: str) -> str:
        return self.to("bibliography.md", work_id)

"""Checks over a built site: every internal link and #anchor resolves."""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class PageInfo:
    ids: set[str] = field(default_factory=set)
    duplicate_ids: set[str] = field(default_factory=set)
    links: list[tuple[str, str]] = field(default_factory=list)  # (attribute, url)
    html_attrs: dict[str, str] = field(default_factory=dict)
    body_attrs: dict[str, str] = field(default_factory=dict)
    alternates: dict[str, str] = field(default_factory=dict)   # hreflang -> href


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.info = PageInfo()

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v or "") for k, v in attrs}
        if "id" in attrs:
            if attrs["id"] in self.info.ids:
                self.info.duplicate_ids.add(attrs["id"])
            self.info.ids.add(attrs["id"])
        if tag == "a" and "name" in attrs:
            self.info.ids.add(attrs["name"])
        if tag == "html":
            self.info.html_attrs = attrs
        if tag == "body":
            self.info.body_attrs = attrs
        if tag in ("a", "link") and attrs.get("rel") == "alternate" and "hreflang" in attrs:
            self.info.alternates[attrs["hreflang"]] = attrs.get("href", "")
        for attribute in ("href", "src"):
            if attribute in attrs and tag in ("a", "link", "script", "img", "iframe", "source"):
                self.info.links.append((tag, attrs[attribute]))


def parse_page(path: Path) -> PageInfo:
    parser = _Parser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.info


CITE_DATA_OPEN = '<script type="application/json" id="kb-cite-data">'


def cite_data(html: str) -> dict:
    """The citations a page's cite controls offer: the JSON in its <script id="kb-cite-data">."""
    return json.loads(html.split(CITE_DATA_OPEN)[1].split("</script>")[0])


def html_pages(site: Path) -> dict[str, Path]:
    """Site-relative path ('en/concepts/x/index.html') -> file."""
    return {p.relative_to(site).as_posix(): p for p in sorted(site.rglob("*.html"))}


EDITION_PREFIX = re.compile(r"^editions/[0-9.]+/")


def site_language(path: str) -> tuple[str, str, str]:
    """A site-relative path as (edition prefix, language, path in that language's site):
    'editions/1.0/en/concepts/x/index.html' -> ('editions/1.0/', 'en', 'concepts/x/index.html')."""
    match = EDITION_PREFIX.match(path)
    prefix = match.group(0) if match else ""
    rest = path[len(prefix):]
    return (prefix, "en", rest[3:]) if rest.startswith("en/") else (prefix, "fa", rest)


def resolve(site: Path, page: str, url: str) -> tuple[str | None, str]:
    """The site-relative file a relative URL points to, and its fragment."""
    parts = urlsplit(url)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path))) \
        if parts.path else page
    if target.startswith(".."):
        return None, parts.fragment
    if parts.path.endswith("/") or (site / target).is_dir():
        target = posixpath.normpath(posixpath.join(target, "index.html"))
    return target, unquote(parts.fragment)


def check_links(site: Path) -> list[str]:
    """Every broken internal link or anchor and every repeated id, as 'page: url (reason)'."""
    pages = html_pages(site)
    parsed = {path: parse_page(file) for path, file in pages.items()}
    problems = []
    for page, info in parsed.items():
        for anchor in sorted(info.duplicate_ids):
            problems.append(f"{page}: #{anchor} (id used twice on the page)")
        if page == "404.html" or page.endswith("/404.html"):
            continue  # served from any depth, so its relative links are not meant to resolve here
        for tag, url in info.links:
            scheme = urlsplit(url).scheme
            if scheme in ("http", "https"):
                if tag != "a":
                    problems.append(f"{page}: {url} (loads from another host)")
                continue
            if scheme or url.startswith("//"):
                problems.append(f"{page}: {url} (unexpected scheme)")
                continue
            if url.startswith("/"):
                problems.append(f"{page}: {url} (absolute path breaks under a path prefix)")
                continue
            target, fragment = resolve(site, page, url)
            if target is None or not (site / target).exists():
                problems.append(f"{page}: {url} (no such file)")
                continue
            if fragment and target.endswith(".html"):
                if fragment not in parsed.get(target, PageInfo()).ids:
                    problems.append(f"{page}: {url} (no #{fragment} on {target})")
    return problems

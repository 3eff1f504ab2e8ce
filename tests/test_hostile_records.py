"""Issue 13: every record field is untrusted. Hostile text in any of them must show up as text.

Part 1 puts an attack in every free-text field of every record type (concept, work, article),
in both languages, in the interface labels (kb/render/labels.yaml of a throwaway copy) and in kb.yml's
name and editors. It builds the site as `make site` does, once WITH the attacks and once
WITHOUT them (the "clean" build of the very same records), serves both on 127.0.0.1 and reads
every kind of page in Chromium in both languages: loads it, hovers and focuses every link,
opens every cite dialog and runs a search. It fails if
- a payload runs (each script payload calls window.__kbPwn, installed before the page loads;
  any alert/confirm/prompt counts too);
- an element or attribute is made from record text (each carries data-kbpwn, an id or a src
  with a marker; the whole DOM is queried, <head> included);
- a request leaves 127.0.0.1;
- a page's own scripts stop working (cite controls, cite data, Material, search);
- a page gains or loses a heading, or its <head> changes shape, compared with the clean build;
- an export (BibTeX, RIS, CSL-JSON; the article page's and the cite dialogs' BibTeX and RIS)
  gains a field or a record compared with the clean build;
- record text containing href="kbref:..." (the form links once had before a hook resolved
  them) is rewritten.
A single-line field holds at most 300 characters, too few for every attack at once, so there
are three hostile builds: variant "a" (markup: elements, attribute and raw-text break-outs),
variant "b" (structure: entities, javascript: and kbref: links, external requests, BibTeX field
forging, Markdown heading ids and attribute lists) and variant "c" (<!--<script>, alone: where
it works it swallows the rest of the page, which would hide every other attack). Prose fields
get the attacks of both a and b (or c's), and line breaks that try to make a heading and RIS
lines. Each hostile build is read one language at a time (tests named fa-/en-variant-x).
Multi-step attacks report the marker of the field they came from (see FIELDS and code_field).

Part 2 lists inputs the build must refuse with `path:line: key.path: message`: line breaks and
control characters in single-line fields, bidi controls and zero-width characters (other than
ZWNJ/ZWJ) anywhere, unknown YAML tags, and a kb.yml site_url that is not an http(s) URL.
Line breaks in prose fields are accepted (part 1 checks they never become Markdown structure).

Markers: field number N and a shape letter, such as 12i; data-kbpwn="12i", __kbPwn(this) on
that element, ids and URLs "kbpwn12h". FIELDS[N] names the field.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import bibtexparser
import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from kb.records.problems import format_key
from tests.support.browser import serve_directory
from tests.support.project import FIXTURES, REPO, make_project, publish_site, run_make
from tests.support.search import QUERY, open_search, read_results

# --- the attacks ------------------------------------------------------------------------------

SHAPES = {
    # variant a: markup
    "i": ("a", "</title> then <img onerror>", "</title><img src=x onerror=__kbPwn(this) data-kbpwn={c}>"),
    "v": ("a", "</textarea> then <svg onload>", "</textarea><svg onload=__kbPwn(this) data-kbpwn={c}>"),
    "s": ("a", "</style> then <script>", "</style><script>__kbPwn('{c}')</script>"),
    "d": ("a", "double-quoted attribute break-out", "\" onmouseover=\"__kbPwn(this)\" data-kbpwn=\"{c}"),
    "q": ("a", "single-quoted attribute break-out",
          "' onfocus='__kbPwn(this)' autofocus data-kbpwn='{c}"),
    # variant b: structure
    "e": ("b", "entity-encoded <img> (a second decoding makes it an element)",
          "&lt;img src=x onerror=__kbPwn(this) data-kbpwn={c}&gt;"),
    "n": ("b", "</script> then an external request", "</script><img src=//attacker.invalid/{c}>"),
    "k": ("b", "href=\"kbref:\" in record text", "href=\"kbref:glossary.md#kbpwn{c}\""),
    "b": ("b", "BibTeX field forging", "}, url = {javascript:kbpwn{c}}"),
    "h": ("b", "Markdown heading id", "{#kbpwn{c}}"),
    "j": ("b", "javascript: link", "[x](javascript:__kbPwn('{c}'))"),
    "c": ("b", "Markdown attribute list", "{: onclick=\"__kbPwn(this)\" data-kbpwn=\"{c}\"}"),
    # variant c: a comment that would swallow the rest of the page (alone, so that it hides nothing)
    "x": ("c", "<!--<script> (swallows the rest of the page, or a <script> element's end)", "<!--<script>"),
}
"""letter -> (variant, what it tries, text with {c} for the marker code)."""
PROSE_SHAPES = {
    "m": "line breaks making a Markdown heading",
    "r": "line breaks forging RIS lines and a record",
}
VARIANTS = ("a", "b", "c")
INTERACT = {"a": True, "b": True, "c": False}
"""Variant c's one attack acts while the page is parsed: its pages are loaded, cite dialogs opened
and searched, without hovering every link."""


def prose_structure(code: str) -> str:
    return (f"\n\n# Fake heading kbpwn{code}m\n\n- fake list item\n\n"
            f"UR  - javascript:kbpwn{code}r\nER  - \nTY  - JOUR\n\n")


@dataclass
class Field:
    file: str
    key: str
    prose: bool


FIELDS: dict[int, Field] = {}
"""Marker number -> the field it was put in (the same in every variant)."""
_NUMBERS: dict[tuple[str, str], int] = {}


def _number(file: str, key: str, prose: bool) -> int:
    if (file, key) not in _NUMBERS:
        _NUMBERS[(file, key)] = len(_NUMBERS) + 1
        FIELDS[_NUMBERS[(file, key)]] = Field(file, key, prose)
    return _NUMBERS[(file, key)]


def attack(original: str, file: str, key: str, variant: str, prose: bool, limit: int = 300) -> str:
    """The original text followed by this variant's attacks (prose: every attack, and line breaks)."""
    n = _number(file, key, prose)
    if prose and variant != "c":
        # room for a's and b's attacks; this variant's first, since a link's preview (the target's
        # summary, as a tooltip) keeps only its first 240 characters
        first = [s for s, (v, _, _) in SHAPES.items() if v == variant]
        shapes = first + [s for s, (v, _, _) in SHAPES.items() if v in "ab" and s not in first]
    else:
        shapes = [s for s, (v, _, _) in SHAPES.items() if v == variant]
    parts = [SHAPES[s][2].replace("{c}", f"{n}{s}") for s in shapes]
    if "j" in shapes and "c" in shapes:  # an attribute list right after the link it would decorate
        j, c = shapes.index("j"), shapes.index("c")
        parts[j] += parts[c]
        parts[c] = ""
    text = original + " " + " ".join(p for p in parts if p)
    if prose:
        half = len(text) // 2
        cut = text.index(" ", half)
        text = text[:cut] + prose_structure(str(n)) + text[cut + 1:]
    assert len(text) <= limit, (file, key, len(text))
    return text


def code_field(code: str) -> str:
    """'12i' -> 'concepts/x.yaml title.en [</title> then <img onerror>]'."""
    match = re.fullmatch(r"(\d+)([a-z])", code.lower())
    if not match or int(match.group(1)) not in FIELDS:
        return f"marker {code!r}"
    f, shape = FIELDS[int(match.group(1))], match.group(2)
    what = SHAPES[shape][1] if shape in SHAPES else PROSE_SHAPES.get(shape, shape)
    return f"{f.file} {f.key} [{what}]"


# --- which fields are free text ----------------------------------------------------------------
# From schema/: "text" (prose: may keep line breaks) and "shortText" / "unknownOrString" /
# bilingualShort (single line). Ids, page locators, years, enums, dates, booleans and references
# are formats the schema already checks; they keep their values.

NOT_TEXT = re.compile(r"^(id|in_article|relations|cited_in|script|year|calendar|et_al|truncated|"
                      r"edition|edition_date|site_url)(\.|\[|$)|(^|\.)(sources|parent)(\.|\[|$)|"
                      r"^outline\[\d+\]\.id$|^sections\[\d+\]\.id$")
PROSE = re.compile(r"^(summary|abstract|question|thesis|text_status\[\d+\]|notes\[\d+\]|note|"
                   r"keywords\.note|definitions\[\d+\]\.text|sections\[\d+\]\.paragraphs\[\d+\]\.text|"
                   r"outline\[\d+\]\.summary|authors\[\d+\]\.affiliation)\.(fa|en)$")
LIMITS = {"summary": 1200, "shortText": 300, "unknownOrString": 500, "text": 20000}


def _limit(key: str, prose: bool) -> int:
    if key.startswith("summary."):
        return LIMITS["summary"]
    if prose:
        return LIMITS["text"]
    if re.match(r"^(journal|volume|issue|pages|doi|affiliation_as_published_en)$|name_as_published", key) \
            or re.search(r"authors\[\d+\]\.(name_as_published\.\w+|affiliation_as_published_en)$", key):
        return LIMITS["unknownOrString"]
    return LIMITS["shortText"]


def poison(data, file: str, variant: str | None, path: tuple = ()):
    """A copy of a record's data with an attack in every free-text string (variant None: clean)."""
    if isinstance(data, dict):
        return {k: poison(v, file, variant, path + (k,)) for k, v in data.items()}
    if isinstance(data, list):
        return [poison(v, file, variant, path + (i,)) for i, v in enumerate(data)]
    if not isinstance(data, str):
        return data
    key = format_key(path)
    if NOT_TEXT.search(key) or data == "unknown":
        return data
    prose = bool(PROSE.match(key))
    return data if variant is None else attack(data, file, key, variant, prose, _limit(key, prose))


# --- the records: the small fixture, with every optional text field filled in ----------------



def enriched_records() -> dict[str, dict]:
    """The small fixture's records (path under concepts/ -> data), every list given at least one
    item and every optional or 'unknown' text field a value, so that each gets an attack."""
    records = {}
    for path in sorted((FIXTURES / "small" / "concepts").rglob("*.yaml")):
        records[path.relative_to(FIXTURES / "small" / "concepts").as_posix()] = \
            yaml.safe_load(path.read_text(encoding="utf-8"))
    aliases = {"local-governance.yaml": ("حکومت شهری", "Local rule"),
               "urban-landscape.yaml": ("منظر شهری", "Townscape"),
               "twin-towns.yaml": ("شهرهای خواهرخوانده", None)}
    for name, (fa, en) in aliases.items():
        if fa:
            records[name]["aliases"]["fa"].append(fa)
        if en:
            records[name]["aliases"]["en"].append(en)
    records["city-diplomacy.yaml"]["notes"] = [{"fa": "یادداشتی آزمایشی.", "en": "A test note."}]
    work = records["works/smith-jones-2010.yaml"]
    work["title"] = {"original": "Cities Abroad", "translated": "شهرها در خارج"}
    work["container"] = {"original": "Urban Studies", "translated": "مطالعات شهری"}
    work["publisher"] = {"original": "City Press", "translated": "نشر شهر"}
    work["note"] = {"fa": "یادداشت اثر.", "en": "A note on the work."}
    article = records["articles/test-article.yaml"]
    author = article["authors"][0]
    author["name_as_published"]["fa"] = "مریم کریمی"
    author["affiliation_as_published_en"] = "Sample University"
    article.update(journal="Journal of Cities", volume="3", issue="2", pages="1-20", doi="10.1000/test")
    article["keywords"]["published"]["fa"] = ["شهرها"]
    article["keywords"]["translated"]["en"] = ["cities"]
    article["outline"][0]["heading_as_published"] = "درآمد"
    return records


def enriched_settings() -> dict:
    settings = yaml.safe_load((FIXTURES / "small" / "kb.yml").read_text(encoding="utf-8"))
    settings["site_url"] = CLEAN_SITE_URL
    return settings


CLEAN_SITE_URL = "https://example.org/kb/"
"""The clean build's site_url."""
HOSTILE_SITE_URL = "https://example.org/k(b);c/"
"""A valid http URL with the characters kb.yml accepts that mean something elsewhere (in CSS
url(), in Markdown links, in JavaScript). The ones that mean something in HTML (& and ', besides
" < >) are refused: Material prints site_url raw, so kb.yml must hold them percent-encoded (part 2)."""


def dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)


def label_attack(key: str, lang: str, value: str, variant: str) -> str:
    text = attack(value, "kb/render/labels.yaml", f"{key}.{lang}", variant, prose=False, limit=10_000)
    if re.search(r"\{\w+\}", value):  # read with str.format: keep its fields working
        text = value + " " + text[len(value) + 1:].replace("{", "{{").replace("}", "}}")
    return text


def write_project(target: Path, variant: str | None) -> Path:
    """A throwaway project with the enriched records, poisoned for a variant (None: clean)."""
    records = target / "records"
    for name, data in enriched_records().items():
        path = records / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump(poison(data, f"concepts/{name}", variant)), encoding="utf-8")
    settings = enriched_settings()
    if variant is not None:
        settings = poison(settings, "kb.yml", variant)
        settings["site_url"] = HOSTILE_SITE_URL
    (target / "kb.yml.in").write_text(dump(settings), encoding="utf-8")
    project = make_project(target / "project", records, settings=target / "kb.yml.in")
    if variant is not None:
        labels = yaml.safe_load((project / "kb" / "render" / "labels.yaml").read_text(encoding="utf-8"))
        labels = {key: {lang: label_attack(key, lang, text, variant) for lang, text in value.items()}
                  for key, value in labels.items()}
        (project / "kb" / "render" / "labels.yaml").write_text(dump(labels), encoding="utf-8")
    return project


# --- building ----------------------------------------------------------------------------------

@dataclass
class Build:
    name: str
    project: Path
    site: Path
    site_path: str
    """The URL path the site is served under, from kb.yml's site_url as a browser reads the page."""
    strict_error: str | None = None
    """What `make site` said when it refused to build (the site was then built without --strict)."""


def build_site(target: Path, variant: str | None) -> Build:
    project = write_project(target, variant)
    # Published as an edition first, so that record text also reaches the pages about editions
    # (each concept's Editions section, the changes pages, the feed) and an edition's fixed copy.
    published = run_make(project, "edition")
    assert published.returncode == 0, f"make edition failed:\n{published.stdout[-3000:]}\n{published.stderr[-3000:]}"
    error = None
    try:
        site = publish_site(project)
    except AssertionError as failure:  # build it anyway, without --strict, to check the pages
        error = str(failure)
        makefile = (project / "Makefile").read_text(encoding="utf-8").replace(" --strict", "")
        (project / "Makefile.lenient").write_text(makefile, encoding="utf-8")
        result = run_make(project, "site", makefile="Makefile.lenient")
        assert result.returncode == 0, f"the site could not be built even without --strict:\n{result.stderr}"
        site = project / "site"
    site_url = HOSTILE_SITE_URL if variant else CLEAN_SITE_URL
    return Build(variant or "clean", project, site, urlsplit(site_url).path, error)


@contextlib.contextmanager
def serve_build(build: Build):
    """Serve the site under its site_url's path (the 404 page links its assets by absolute path)."""
    host = build.project / "host"
    mount = host / build.site_path.strip("/")
    if not mount.exists():
        mount.parent.mkdir(parents=True, exist_ok=True)
        mount.symlink_to(build.site, target_is_directory=True)
    with serve_directory(host) as base:
        yield base + build.site_path.rstrip("/")


def offline_copy(build: Build) -> Path:
    """The offline archive a reader downloads, unpacked."""
    target = build.project / "offline-unpacked"
    if not target.exists():
        with zipfile.ZipFile(build.site / "downloads" / "diplomacy-kb-offline.zip") as archive:
            archive.extractall(target)
    return target / "diplomacy-kb"


# --- reading the pages in Chromium -------------------------------------------------------------

PAGES = ["", "concepts/", "concepts/city-diplomacy/", "concepts/local-governance/", "concepts/twin-towns/",
         "concepts/urban-landscape/", "glossary/", "bibliography/", "map/", "articles/",
         "articles/test-article/", "about/", "changes/", "changes/0.1/", "404.html"]
"""Every kind of page (and every concept page: each has fields of its own), per language."""
OFFLINE_PAGES = ["concepts/city-diplomacy.html", "articles/test-article.html"]
LANGUAGES = {"fa": "", "en": "en/"}
"""Each language and its root in the site."""
LANGUAGE_ROOTS = list(LANGUAGES.values())

WHERE = """    const where = (el) => {  // an element's place, as 'article > p > span.kb-cite'
        const path = [];
        for (let node = el; node && node.nodeType === 1 && path.length < 5; node = node.parentElement) {
            let name = node.tagName.toLowerCase();
            if (node.id) name += '#' + node.id.slice(0, 30);
            else if (node.classList.length) name += '.' + [...node.classList].slice(0, 2).join('.');
            path.unshift(name);
        }
        return path.join(' > ');
    };
"""

RECORDER = """(() => {
    const hits = [];
""" + WHERE + """    const record = (what) => {
        let code = String(what), element = document.currentScript;
        if (what && typeof what === 'object' && what.getAttribute) {
            element = what;
            code = what.getAttribute('data-kbpwn') || what.id || String(what);
        }
        hits.push([code, element ? where(element) : '']);
    };
    Object.defineProperty(window, '__kbHits', {value: hits});
    for (const name of ['__kbPwn', '__kbpwn', '__KBPWN', '__Kbpwn']) window[name] = record;
})();"""
"""Installed before any page script: every script payload calls it with its marker. Titles are
title- or sentence-cased in some citations, hence the other spellings."""

FIND = r"""() => {
    const found = [];
""" + WHERE + r"""    const snippet = (el) => el.outerHTML.slice(0, 160);
    const code = (text) => { const m = /kbpwn(\d+[a-z])/i.exec(text) || /(\d+[a-z])/i.exec(text); return m ? m[1].toLowerCase() : text.slice(0, 40); };
    const urlAttributes = new Set(['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster',
                                   'srcset', 'background', 'cite', 'ping']);
    const kbref = /kbpwn(\d+k)/ig;
    const rewritten = (text) => {
        const out = [];
        for (const m of text.matchAll(kbref)) {
            // as written, or escaped for its format (BibTeX writes \#, JSON \\#)
            if (!text.slice(Math.max(0, m.index - 24), m.index).replace(/\\/g, '').toLowerCase()
                    .endsWith('kbref:glossary.md#'))
                out.push([m[1].toLowerCase(), text.slice(Math.max(0, m.index - 40), m.index + 12)]);
        }
        return out;
    };
    const nearby = (el, value) => {  // the marker in the value, else elsewhere in the element
        const m = /kbpwn(\d+[a-z])/i.exec(value) || /[\/'"=](\d+[a-z])\b/i.exec(value) ||
                  /kbpwn(\d+[a-z])/i.exec(el.outerHTML) || /['"=](\d+[a-z])\b/i.exec(el.outerHTML);
        return m ? m[1].toLowerCase() : value.slice(0, 40);
    };
    const lead = (text) => { const m = /^\W*(\d+[a-z])/i.exec(text); return m ? m[1].toLowerCase() : code(text); };
    for (const el of document.querySelectorAll('*')) {
        const marker = el.getAttribute('data-kbpwn');
        for (const attr of el.attributes) {
            const name = attr.name.toLowerCase(), value = attr.value;
            if (name === 'data-kbpwn') found.push(['element', lead(value), where(el), snippet(el)]);
            else if (name.includes('kbpwn')) found.push(['element', code(name), where(el), snippet(el)]);
            else if (name.startsWith('on') && /kbpwn/i.test(value))
                found.push(['handler', marker !== null ? lead(marker) : code(value), where(el), snippet(el)]);
            else if (name === 'id' && /kbpwn/i.test(value)) found.push(['id', code(value), where(el), snippet(el)]);
            if (urlAttributes.has(name) && /^[\s\u0000-\u001f]*javascript:/i.test(value))
                found.push(['javascript-url', nearby(el, value), where(el), snippet(el)]);
            if (urlAttributes.has(name) && /attacker\.invalid/i.test(value))
                found.push(['external-url', nearby(el, value), where(el), snippet(el)]);
            for (const [c, context] of rewritten(value)) found.push(['kbref-rewritten', c, where(el) + ' @' + name, context]);
        }
        if (el.tagName === 'SCRIPT' && /kbpwn/i.test(el.textContent) &&
                !/^application\/(ld\+)?json$/.test(el.type))
            found.push(['script', code(el.textContent), where(el), snippet(el)]);
    }
    // Text is read per block: the build may split a run of text into several elements (Latin
    // runs inside Persian text are isolated, each in its own <span>).
    const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
    const blocks = new Set();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!/kbpwn\d+k/i.test(node.data) || !node.parentElement) continue;
        blocks.add(node.parentElement.closest('p, li, dd, dt, td, th, h1, h2, h3, h4, h5, h6, figcaption, ' +
                                               'blockquote, pre, title, div') || node.parentElement);
    }
    for (const block of blocks) {
        for (const [c, context] of rewritten(block.textContent)) found.push(['kbref-rewritten', c, where(block), context]);
    }
    for (const [c, place] of window.__kbHits || []) found.push(['ran', lead(c), place, '']);
    return found;
}"""

DANGEROUS_TAGS = ["script", "img", "svg", "iframe", "object", "embed", "style", "link", "meta", "base", "form",
                  "input", "textarea", "title", "template", "noscript", "math", "video", "audio", "a"]

SHAPE_OF_PAGE = r"""(tags) => {
    const headings = [...document.querySelectorAll('article h1, article h2, article h3, article h4, article h5, article h6')]
        .map(h => h.tagName.toLowerCase() + '#' + h.id);
    const head = [...document.head.children].map(e => e.tagName.toLowerCase() +
        (e.getAttribute('name') ? '[name=' + e.getAttribute('name') + ']' : '') +
        (e.getAttribute('rel') ? '[rel=' + e.getAttribute('rel') + ']' : '') +
        (e.getAttribute('type') ? '[type=' + e.getAttribute('type') + ']' : ''));
    const counts = {};
    for (const tag of tags) counts[tag] = document.getElementsByTagName(tag).length;
    let citeData = null;
    const holder = document.getElementById('kb-cite-data');
    if (holder) { try { citeData = Object.keys(JSON.parse(holder.textContent)).sort().join(','); }
                  catch (error) { citeData = 'unparsable: ' + error.message; } }
    return {headings, head, counts, citeData,
            titles: document.querySelectorAll('title').length - document.querySelectorAll('svg title').length,
            citeControls: document.querySelectorAll('[data-kb-cite-control]').length,
            material: typeof window.document$ === 'object' && !!document.querySelector('[data-kb-search-query]'),
            canonical: (document.querySelector('link[rel=canonical]') || {}).href || null,
            staticCitations: [...document.querySelectorAll('.kb-cite-static pre code')].map(c => c.textContent)};
}"""

FOCUS = r"""async (selector) => {
    // Focus every target (Material shows a [title]'s tooltip on focus too), and send it the
    // mouse events that inline handlers listen to; then keep the list for hover_all().
    const frame = () => new Promise(resolve => {  // a frame, or 100 ms where frames are throttled
        requestAnimationFrame(() => setTimeout(resolve, 0));
        setTimeout(resolve, 100);
    });
    const targets = [...document.querySelectorAll(selector)];
    window.__kbTargets = targets;
    const fire = (el, type) => el.dispatchEvent(new MouseEvent(type, {bubbles: true, cancelable: true, view: window}));
    for (const el of targets) {
        if (!el.isConnected) continue;
        fire(el, 'mouseover');
        el.focus({preventScroll: true});
        if (el.hasAttribute('title') && el.closest('.md-content, .md-header, dialog, .md-search')) await frame();
        fire(el, 'mouseout');
        el.blur();
    }
    await frame();
    return targets.length;
}"""
IN_VIEW = r"""(y) => {
    // Scroll to y; return the titled targets (in the content, a dialog or the search results)
    // now wholly in view and not hidden under the sticky header, each once per page.
    window.scrollTo({top: y, behavior: 'instant'});
    const done = window.__kbHovered = window.__kbHovered || new Set();
    const out = [];
    window.__kbTargets.forEach((el, i) => {
        if (done.has(i) || !el.isConnected || !el.hasAttribute('title') ||
            !el.closest('.md-content, dialog, .md-search')) return;
        const r = el.getBoundingClientRect();
        if (!(r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight &&
              r.right <= innerWidth)) return;
        // what the pointer would reach there, looking through a tooltip the last move left open
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        const hit = document.elementsFromPoint(x, y).find(e => !e.closest('.md-tooltip, .md-tooltip2'));
        if (!hit || !(el === hit || el.contains(hit))) return;
        done.add(i);
        out.push([x, y, i]);
    });
    return [out, document.documentElement.scrollHeight, innerHeight];
}"""


CLOSE_SEARCH = """() => { const toggle = document.getElementById('__search');
    if (toggle && toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event('change')); } }"""

HOVERED = "(i) => window.__kbTargets[i].matches(':hover')"

HOVERABLE = "a, button, summary, [title], [tabindex], input, label"

DIALOGS = r"""async (interact) => {
    // Click every cite control in turn; read each dialog (its heading and BibTeX/RIS), focus what
    // is in it, and look for injected elements before the next dialog replaces it.
    const find = FIND;
    const frame = () => new Promise(resolve => {  // a frame, or 100 ms where frames are throttled
        requestAnimationFrame(() => setTimeout(resolve, 0));
        setTimeout(resolve, 100);
    });
    const out = [];
    for (const control of [...document.querySelectorAll('[data-kb-cite-control]')]) {
        control.click();
        await frame();
        const dialog = document.querySelector('dialog.kb-cite-dialog[open]');
        if (!dialog) { out.push(null); continue; }
        const heading = (dialog.querySelector('h2') || {}).textContent || '';
        const codes = [...dialog.querySelectorAll('pre code')].map(code => code.textContent);
        if (interact) {
            for (const el of dialog.querySelectorAll('*')) {
                el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
                if (el.focus) el.focus({preventScroll: true});
            }
            await frame();
        }
        out.push({heading, codes, findings: find()});
        dialog.close();
    }
    return out;
}"""


def hover_and_focus(page, selector: str, search_open: bool = False) -> None:
    """Focus every link (and button, summary, [title] ...), send each the mouse events inline
    handlers listen to, and move the mouse over each visible one that has a title in the content,
    a dialog or the search results: Material's content.tooltips (the only hover behaviour on
    these pages; the header's tooltips are filled in when the page starts) answer real pointer
    movement only, and a real move costs a frame, so the other elements get the synthetic
    events alone. The page is scrolled a screen at a time."""
    page.evaluate(FOCUS, selector)
    if not search_open:
        # focusing the search box opened the search, whose overlay would now cover the page
        page.evaluate(CLOSE_SEARCH)
        page.wait_for_timeout(400)  # Material shrinks the overlay only after its 250 ms fade
    page.evaluate("() => { window.__kbHovered = new Set(); }")
    y, height = 0, 1
    while y < height:
        points, height, screen = page.evaluate(IN_VIEW, y)
        for x, point_y, index in points:
            page.mouse.move(x, point_y)  # returns once the page has handled the move
            if not page.evaluate(HOVERED, index):
                # the tooltip the last move opened lay over this target: let it close, come back
                page.mouse.move(0, 0)
                page.wait_for_timeout(400)
                page.mouse.move(x, point_y)
        y += max(screen - 150, 200)
    page.mouse.move(0, 0)
    page.wait_for_timeout(50)


@dataclass(repr=False)
class PageVisit:
    url: str
    shape: dict = field(default_factory=dict)
    findings: set = field(default_factory=set)
    """(kind, marker code, where, snippet)"""
    problems: list = field(default_factory=list)
    """The page's own machinery not working: (what, detail)."""
    dialogs: list = field(default_factory=list)
    """Per cite control: (dialog heading, [code texts]) or None when no dialog opened."""


@dataclass(repr=False)
class Crawl:
    build: Build
    pages: dict = field(default_factory=dict)
    """page key ('en/concepts/x/', 'offline:en/glossary.html') -> PageVisit"""
    requests: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    """Requests that failed or answered 400 or more: (page, url, why)."""
    alerts: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    """Uncaught page errors: (page, message)."""
    search: dict = field(default_factory=dict)
    """language root -> result pages, or the reason the search did not answer."""



def find(page, visit: PageVisit) -> None:
    try:
        visit.findings.update(tuple(item) for item in page.evaluate(FIND))
    except Exception as error:  # noqa: BLE001 - the page may have navigated away or died
        visit.problems.append(("the page could not be searched for injected elements", str(error)[:200]))


def visit_page(page, crawl: Crawl, key: str, url: str, interact: bool = True) -> None:
    visit = crawl.pages[key] = PageVisit(url)
    try:
        page.goto(url)  # waits for the load event
        page.wait_for_timeout(150)  # Material sets the page up on a later tick
    except Exception as error:  # noqa: BLE001
        visit.problems.append(("the page did not load", str(error)[:200]))
        return
    visit.shape = page.evaluate(SHAPE_OF_PAGE, DANGEROUS_TAGS)
    find(page, visit)
    if interact:
        try:
            hover_and_focus(page, HOVERABLE)
        except Exception as error:  # noqa: BLE001
            visit.problems.append(("hovering and focusing the links failed", str(error)[:200]))
        find(page, visit)
    try:
        dialogs = page.evaluate(DIALOGS.replace("FIND", FIND), interact)
    except Exception as error:  # noqa: BLE001
        visit.problems.append(("the cite controls could not be clicked", str(error)[:200]))
        dialogs = []
    for index, dialog in enumerate(dialogs):
        if dialog is None:
            visit.dialogs.append(None)
            visit.problems.append((f"cite control {index} did not open its dialog", ""))
            continue
        visit.dialogs.append((dialog["heading"], dialog["codes"]))
        visit.findings.update(tuple(item) for item in dialog["findings"])
    find(page, visit)


def run_search(page, crawl: Crawl, root: str, base: str) -> None:
    """Search the way a reader does (tests/support/search.py): for a word every attack contains,
    so that the results show record text. Kept in one function: adapt it when the search UI changes."""
    key = f"search:{root}"
    visit = crawl.pages[key] = PageVisit(f"{base}/{root}")
    try:
        open_search(page, f"{base}/{root}")
        box = page.locator(QUERY)
        box.press_sequentially("onerror", delay=5)
        crawl.search[root] = read_results(page)
        hover_and_focus(page, ".md-search-result *", search_open=True)
    except Exception as error:  # noqa: BLE001
        crawl.search[root] = f"the search did not answer: {str(error)[:200]}"
    find(page, visit)


def crawl_build(browser, build: Build, interact: bool = True, roots=LANGUAGE_ROOTS) -> Crawl:
    """Read every page of a build in the languages at roots ('' and 'en/'), search, and read the
    offline copy's pages (interact=False: load each page and open its cite dialogs, no more)."""
    crawl = Crawl(build)
    context = browser.new_context()
    context.add_init_script(RECORDER)
    current = {"key": ""}

    def on_request(request):
        crawl.requests.append((current["key"], request.url))

    context.on("request", on_request)  # counted before the route below answers it
    context.route("**://attacker.invalid/**", lambda route: route.abort())  # no wait for its DNS
    # net::ERR_ABORTED is a request the browser dropped because the crawl moved on (a favicon
    # still loading when the next page opens); a missing asset is a 404 response, counted below.
    context.on("requestfailed", lambda r: r.failure != "net::ERR_ABORTED"
               and crawl.failed.append((current["key"], r.url, r.failure)))
    context.on("response", lambda r: r.status >= 400 and crawl.failed.append((current["key"], r.url, r.status)))
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.on("pageerror", lambda error: crawl.errors.append((current["key"], str(error)[:300])))
        page.on("dialog", lambda d: (crawl.alerts.append((current["key"], d.type, d.message)), d.dismiss()))
        with serve_build(build) as base:
            for root in roots:
                for path in PAGES:
                    current["key"] = root + path
                    visit_page(page, crawl, current["key"], f"{base}/{root}{path}", interact)
            for root in roots:
                current["key"] = f"search:{root}"
                run_search(page, crawl, root, base)
            page.wait_for_load_state("networkidle")  # the last requests are counted too
        copy_root = offline_copy(build)
        for root in roots:
            for path in OFFLINE_PAGES:
                current["key"] = f"offline:{root}{path}"
                visit_page(page, crawl, current["key"], (copy_root / root / path).as_uri(), interact)
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    return crawl


# --- comparing with the clean build ------------------------------------------------------------

def bibtex_shape(text: str) -> list:
    """Each entry as (type, key, its field names), and every block the parser could not read."""
    library = bibtexparser.parse_string(text)
    shape = [(entry.entry_type.lower(), entry.key, tuple(sorted(f.key.lower() for f in entry.fields)))
             for entry in library.entries]
    return shape + [("unreadable block", type(block).__name__, ()) for block in library.failed_blocks]


RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")


def ris_shape(text: str) -> list:
    """Each record (TY ... ER) as its set of tags; a line that is not a tag line counts as '<line>'."""
    records, current = [], None
    for line in text.splitlines():
        match = RIS_LINE.match(line)
        tag = match.group(1) if match else "<line>"
        if tag == "TY" or current is None:
            current = set()
            records.append(current)
        current.add(tag)
        if tag == "ER":
            current = None
    return [tuple(sorted(record)) for record in records]


def csl_shape(text: str) -> list:
    try:
        items = json.loads(text)
    except ValueError as error:
        return [("not JSON", str(error))]
    return [(item.get("id"), tuple(sorted(item))) for item in items]


def citation_shape(text: str) -> list:
    """A BibTeX or RIS text's structure, whichever it is."""
    return bibtex_shape(text) if text.lstrip().startswith(("@", "%")) else ris_shape(text)


def compare(what: str, hostile, clean) -> list[str]:
    return [] if hostile == clean else [f"{what}:\n      clean:   {clean}\n      hostile: {hostile}"]


def downloads(build: Build) -> dict[str, str]:
    files = {}
    for root in LANGUAGE_ROOTS:
        for name in ("bibliography.bib", "bibliography.ris", "bibliography.json"):
            files[f"{root}downloads/{name}"] = (build.site / root / "downloads" / name).read_text(encoding="utf-8")
        files[f"{root}feed.xml"] = (build.site / root / "feed.xml").read_text(encoding="utf-8")
    files["kb.json"] = (build.site / "kb.json").read_text(encoding="utf-8")
    return files


def xml_shape(text: str):
    """An XML file's elements and attributes, in order, without their text."""
    try:
        return [(element.tag, sorted(element.attrib)) for element in ElementTree.fromstring(text).iter()]
    except ElementTree.ParseError as error:
        return f"not well-formed XML: {error}"


def export_differences(hostile: Build, clean: Build) -> list[str]:
    found = []
    clean_files = downloads(clean)
    for name, text in downloads(hostile).items():
        shape = {".bib": bibtex_shape, ".ris": ris_shape, ".xml": xml_shape}.get(Path(name).suffix, csl_shape)
        if name == "kb.json":
            shape = lambda t: sorted(json.loads(t)) if t.strip() else None  # noqa: E731
        found += compare(name, shape(text), shape(clean_files[name]))
    return found


def summarise(findings, limit: int = 60) -> str:
    """Findings (kind, code, where, snippet, page) grouped by field and shape, with where they showed."""
    groups: dict[tuple, dict] = {}
    for kind, code, where, snippet, page in findings:
        group = groups.setdefault((code_field(code), kind), {"where": set(), "pages": set(), "snippet": snippet})
        group["where"].add(" > ".join(where.split(" > ")[-2:]))
        group["pages"].add(page)
    lines = []
    for (name, kind), group in sorted(groups.items()):
        pages = sorted(group["pages"])
        lines.append(f"  {name}: {kind} in {'; '.join(sorted(group['where']))[:200]} "
                     f"({len(pages)} pages, e.g. {pages[0] or '(home)'}) {group['snippet'][:120]!r}")
    more = f"\n  ... and {len(lines) - limit} more" if len(lines) > limit else ""
    return f"{len(lines)} field/attack pairs:\n" + "\n".join(lines[:limit]) + more


def crawl_findings(crawl: Crawl, kinds: set[str]) -> list[tuple]:
    return [(kind, code, where, snippet, key) for key, visit in crawl.pages.items()
            for kind, code, where, snippet in visit.findings if kind in kinds]


# --- part 1: fixtures ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def clean_build(tmp_path_factory) -> Build:
    build = build_site(tmp_path_factory.mktemp("clean-kb"), None)
    assert build.strict_error is None, build.strict_error
    return build


_BUILDS: dict[str, Build] = {}
_CRAWLS: dict[tuple, Crawl] = {}
"""Kept for the whole run, in case pytest sets a parametrized session fixture up again."""


@pytest.fixture(scope="session", params=VARIANTS, ids=[f"variant-{v}" for v in VARIANTS])
def hostile_build(request, tmp_path_factory) -> Build:
    if request.param not in _BUILDS:
        _BUILDS[request.param] = build_site(tmp_path_factory.mktemp(f"hostile-kb-{request.param}"), request.param)
    return _BUILDS[request.param]


@pytest.fixture(scope="session")
def clean_crawl(browser, clean_build) -> Crawl:
    return crawl_build(browser, clean_build, interact=False)


@pytest.fixture(scope="session", params=list(LANGUAGES))
def hostile_crawl(request, browser, hostile_build) -> Crawl:
    """One language of a hostile build, read in Chromium (a language at a time: each fits well within
    the browser watchdog's limit for one test phase)."""
    key = (hostile_build.name, request.param)
    if key not in _CRAWLS:
        _CRAWLS[key] = crawl_build(browser, hostile_build, INTERACT[hostile_build.name], [LANGUAGES[request.param]])
    return _CRAWLS[key]


# --- part 1: the tests ------------------------------------------------------------------------------

SCRIPT_KINDS = {"ran"}
ELEMENT_KINDS = {"element", "handler", "id", "javascript-url", "external-url", "script"}


def machinery_problems(crawl: Crawl, clean: Crawl) -> list[str]:
    """What stopped working on a page compared with the clean build (empty when nothing did)."""
    found = []
    for key, visit in crawl.pages.items():
        base = clean.pages.get(key)
        found += [f"{key or '(home)'}: {what}: {detail}" for what, detail in visit.problems]
        if base is None or key.startswith("search:"):
            continue
        shape, expected = visit.shape, base.shape
        if expected.get("material") and not shape.get("material"):
            found.append(f"{key or '(home)'}: Material's scripts did not start (no document$ or search box)")
        if shape.get("citeControls") != expected.get("citeControls"):
            found.append(f"{key}: {shape.get('citeControls')} cite controls, the clean build has "
                         f"{expected.get('citeControls')}")
        if expected.get("citeData") and shape.get("citeData") != expected.get("citeData"):
            found.append(f"{key}: the cite data (<script id=kb-cite-data>) reads as {shape.get('citeData')!r}")
        opened = [d for d in visit.dialogs if d is not None]
        if len(opened) != len([d for d in base.dialogs if d is not None]):
            found.append(f"{key}: {len(opened)} cite dialogs opened, the clean build opens {len(base.dialogs)}")
    for root, results in crawl.search.items():
        if not isinstance(results, list):
            found.append(f"search on /{root}: {results}")
    found += [f"{key or '(home)'}: uncaught error: {message}" for key, message in crawl.errors]
    for key, url, why in crawl.failed:
        payload = urlsplit(url).path.endswith("/x") or "attacker.invalid" in url  # the attacks' own images
        if not payload:
            found.append(f"{key or '(home)'}: {url} failed ({why})")
    return sorted(set(found))


def foreign_requests(crawl: Crawl) -> list[str]:
    out = []
    for key, url in crawl.requests:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about", "file") or parts.hostname == "127.0.0.1":
            continue
        out.append(f"{key or '(home)'}: {url}")
    return sorted(set(out))


def fail(message: str) -> None:
    """Fail with the message alone: the crawl's data would bury it."""
    pytest.fail(message, pytrace=False)


def test_the_clean_build_trips_no_detector(clean_crawl):
    """The detectors see nothing on the same records without attacks (no false alarms), and
    everything the hostile builds are compared with works there."""
    assert crawl_findings(clean_crawl, SCRIPT_KINDS | ELEMENT_KINDS | {"kbref-rewritten"}) == []
    assert machinery_problems(clean_crawl, clean_crawl) == []
    assert foreign_requests(clean_crawl) == []
    assert clean_crawl.alerts == []
    concept = clean_crawl.pages["en/concepts/city-diplomacy/"]
    assert concept.shape["citeControls"] > 0 and len(concept.dialogs) == concept.shape["citeControls"]
    assert all(isinstance(r, list) for r in clean_crawl.search.values())
    assert concept.shape["canonical"] == "https://example.org/kb/en/concepts/city-diplomacy/"
    assert [h for h in concept.shape["headings"] if h.startswith("h1")] == ["h1#city-diplomacy"]


def test_the_hostile_site_builds(hostile_build):
    """`make site` (mkdocs --strict) builds the hostile records: text in a field cannot break the build."""
    if hostile_build.strict_error is not None:
        fail(f"variant {hostile_build.name}: " + hostile_build.strict_error[-3000:])


def test_no_record_text_runs(hostile_crawl):
    """No script payload calls the recorder, no dialog opens, no page error comes from a payload."""
    findings = crawl_findings(hostile_crawl, SCRIPT_KINDS)
    for key, message in hostile_crawl.errors:
        if "kbpwn" in message.lower():  # a payload that ran and threw
            match = re.search(r"(\d+[a-z])", message)
            findings.append(("error", match.group(1) if match else "", "", message, key))
    if findings or hostile_crawl.alerts:
        fail(f"record text ran as script; dialogs: {hostile_crawl.alerts[:5]}\n{summarise(findings)}")


def test_no_element_or_attribute_is_made_from_record_text(hostile_crawl):
    """No element, attribute, id, javascript: URL or external image comes from record text."""
    findings = crawl_findings(hostile_crawl, ELEMENT_KINDS)
    if findings:
        fail("record text became markup:\n" + summarise(findings))


def test_no_request_leaves_the_local_server(hostile_crawl):
    requests = foreign_requests(hostile_crawl)
    if requests:
        fail(f"{len(requests)} requests to other hosts:\n  " + "\n  ".join(requests[:40]))


def test_the_pages_own_scripts_keep_working(hostile_crawl, clean_crawl):
    """Cite controls and their data, Material (and so the search) and every asset still load."""
    problems = machinery_problems(hostile_crawl, clean_crawl)
    if problems:
        fail(f"{len(problems)} problems:\n  " + "\n  ".join(problems[:60]))


def test_pages_keep_the_clean_builds_structure(hostile_crawl, clean_crawl):
    """Same headings (h1-h6 of <article>, with their ids), same <head>, as many <title>, <script>,
    <img> ... elements as the same records without attacks give."""
    found = []
    for key, visit in hostile_crawl.pages.items():
        base = clean_crawl.pages.get(key)
        if base is None or not base.shape or key.startswith("search:"):
            continue
        shape = visit.shape or {}
        found += compare(f"{key or '(home)'}: headings", shape.get("headings"), base.shape["headings"])
        found += compare(f"{key or '(home)'}: <head>", shape.get("head"), base.shape["head"])
        found += compare(f"{key or '(home)'}: <title> elements", shape.get("titles"), base.shape["titles"])
        counts = {tag: (n, base.shape["counts"][tag]) for tag, n in (shape.get("counts") or {}).items()
                  if n != base.shape["counts"][tag]}
        if counts:
            found.append(f"{key or '(home)'}: elements (hostile, clean): {counts}")
    if found:
        fail(f"{len(found)} differences:\n  " + "\n  ".join(found[:60]))


def test_kbref_in_record_text_stays_text(hostile_crawl):
    """Links were once written as href="kbref:..." and resolved in the built HTML by the MkDocs
    hook; build_kb now writes every link final. Record text that looks like such a link must
    still reach the reader as written, whatever step a future build adds."""
    findings = crawl_findings(hostile_crawl, {"kbref-rewritten"})
    if findings:
        fail("record text rewritten by the kbref: hook:\n" + summarise(findings))


def test_site_url_is_escaped_where_it_is_written(hostile_crawl, clean_crawl):
    """kb.yml's site_url (a valid https URL with ( ) ; in it) reads back as written in <link rel=canonical>."""
    found = []
    for key, visit in hostile_crawl.pages.items():
        expected = (clean_crawl.pages.get(key) or PageVisit("")).shape.get("canonical")
        if expected:
            expected = expected.replace(CLEAN_SITE_URL, HOSTILE_SITE_URL)
            if visit.shape.get("canonical") != expected:
                found.append(f"{key or '(home)'}: canonical {visit.shape.get('canonical')!r}, expected {expected!r}")
    if found:
        fail("\n".join(found[:10]) + f"\n({len(found)} pages)")


def test_the_bibliography_downloads_keep_their_records_and_fields(hostile_build, clean_build):
    """BibTeX entries and their field names, RIS records and their tags, CSL-JSON items and their
    keys: the same as the clean build's. A '}' or a line break in a field must not add any."""
    found = export_differences(hostile_build, clean_build)
    if found:
        fail("\n".join(found))


def test_page_and_dialog_citations_keep_their_fields(hostile_crawl, clean_crawl):
    """The BibTeX and RIS on the page (concept and article pages) and in every cite dialog."""
    found = []
    for key, visit in hostile_crawl.pages.items():
        base = clean_crawl.pages.get(key)
        if base is None or key.startswith("search:"):
            continue
        shown, expected = visit.shape.get("staticCitations", []), base.shape.get("staticCitations", [])
        opened = [d for d in visit.dialogs if d is not None]
        if len(shown) != len(expected) or len(opened) != len(base.dialogs):
            found.append(f"{key or '(home)'}: {len(shown)} citations on the page and {len(opened)} cite dialogs; "
                         f"the clean build has {len(expected)} and {len(base.dialogs)}")
        for index, (text, clean_text) in enumerate(zip(shown, expected)):
            found += compare(f"{key}: citation {index} on the page", citation_shape(text), citation_shape(clean_text))
        for index, (dialog, clean_dialog) in enumerate(zip(visit.dialogs, base.dialogs)):
            if dialog is None or clean_dialog is None:
                continue
            for text, clean_text in zip(dialog[1], clean_dialog[1]):
                found += compare(f"{key}: cite dialog {index} ({clean_dialog[0][:40]})",
                                 citation_shape(text), citation_shape(clean_text))
    if found:
        fail(f"{len(found)} differences:\n" + "\n".join(found[:80]))


# --- the detectors, tried on planted attacks ---------------------------------------------------

PLANTED = """<!doctype html><html><head><title>planted</title>
<meta name="description" content="x" data-kbpwn="1d"></head><body><div class="md-content"><article>
<h1 id="top">Planted</h1><h2 id="kbpwn2h">fake</h2>
<img src=x onerror=__kbPwn(this) data-kbpwn=3i>
<a href="javascript:__kbPwn('4j')">javascript link</a>
<img src="//attacker.invalid/5n">
<p>href="../glossary/#kbpwn6k" was rewritten; kbref:glossary.md#kbpwn7k was not</p>
<p><a href="#" id="tip" title="&lt;img src=x onerror=__kbPwn(this) data-kbpwn=8e&gt;">tooltip</a></p>
<p><a href="#" onmouseover="__kbPwn('9d')">hover me</a></p>
<script>
document.getElementById('tip').addEventListener('mouseenter', event => {  // a tooltip, as Material's
  const tip = document.createElement('div'); tip.innerHTML = event.target.title; document.body.append(tip);
});
setTimeout(() => alert('planted'), 10);
</script></article></div></body></html>"""


def test_the_detectors_see_planted_attacks(browser, tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "index.html").write_text(PLANTED, encoding="utf-8")
    build = Build("planted", tmp_path, tmp_path / "site", "/")
    crawl = Crawl(build)
    context = browser.new_context()
    context.add_init_script(RECORDER)
    context.on("request", lambda request: crawl.requests.append(("", request.url)))
    try:
        page = context.new_page()
        page.on("dialog", lambda d: (crawl.alerts.append(("", d.type, d.message)), d.dismiss()))
        with serve_build(build) as base:
            visit_page(page, crawl, "", f"{base}/index.html")
    finally:
        context.close()
    seen = {(kind, code) for kind, code, *_ in crawl.pages[""].findings}
    assert {("element", "1d"), ("id", "2h"), ("ran", "3i"), ("element", "3i"), ("javascript-url", "4j"),
            ("external-url", "5n"), ("kbref-rewritten", "6k"), ("ran", "8e"), ("ran", "9d")} <= seen
    assert ("kbref-rewritten", "7k") not in seen
    assert crawl.alerts and foreign_requests(crawl) and "attacker.invalid" in foreign_requests(crawl)[0]


def test_hovering_reaches_materials_tooltips(browser, clean_build):
    """Material's content.tooltips puts a link's title into the page with innerHTML when the link is
    hovered or focused: the crawl's hover_and_focus must get there (it does on the clean build,
    with a title planted after the page has loaded)."""
    context = browser.new_context()
    context.add_init_script(RECORDER)
    try:
        page = context.new_page()
        with serve_build(clean_build) as base:
            page.goto(f"{base}/en/concepts/city-diplomacy/")
            page.wait_for_timeout(150)
            planted = page.evaluate("""() => { const links = [...document.querySelectorAll('article a[title]')];
                links.forEach((a, i) => { a.title = '<img src=x onerror=__kbPwn(this) data-kbpwn=' + i + 't>'; });
                return links.length; }""")
            hover_and_focus(page, HOVERABLE)
            try:  # each planted image fails to load, then its handler runs: give the last ones time
                page.wait_for_function(f"() => new Set(window.__kbHits.map(hit => hit[0])).size >= {planted}",
                                       timeout=3000)
            except PlaywrightTimeout:
                pass
            hits = page.evaluate("() => window.__kbHits.map(hit => hit[0])")
    finally:
        context.close()
    assert planted > 0 and len(set(hits)) == planted, (planted, hits)


def test_a_swallowed_page_is_seen_as_broken(browser, clean_build, clean_crawl):
    """<!--<script> inside the cite data: the page's scripts stop, and the comparison says so."""
    context = browser.new_context()
    context.add_init_script(RECORDER)
    crawl = Crawl(clean_build)

    def swallow(route):
        response = route.fetch()
        body = response.text().replace('id="kb-cite-data">{', 'id="kb-cite-data">{"x":"<!--<script>",', 1)
        route.fulfill(response=response, body=body)

    try:
        page = context.new_page()
        page.set_default_timeout(5000)
        page.route("**/en/concepts/city-diplomacy/", swallow)
        with serve_build(clean_build) as base:
            visit_page(page, crawl, "en/concepts/city-diplomacy/", f"{base}/en/concepts/city-diplomacy/")
    finally:
        context.close()
    problems = machinery_problems(crawl, clean_crawl)
    assert any("Material's scripts did not start" in p for p in problems), problems
    assert any("cite controls" in p for p in problems), problems


def test_the_export_comparisons_see_a_forged_field_or_record():
    bib = "@misc{x,\n  title = {A},\n  year = {2020}\n}\n"
    forged_bib = "@misc{x,\n  title = {A}, url = {javascript:alert(1)},\n  year = {2020}\n}\n"
    assert bibtex_shape(bib) == [("misc", "x", ("title", "year"))]
    assert bibtex_shape(forged_bib) != bibtex_shape(bib)
    assert bibtex_shape("@misc{x,\n  title = {A}}}\n}\n") != bibtex_shape(bib)
    ris = "TY  - GEN\nTI  - A\nER  - \n"
    assert ris_shape(ris) == [("ER", "TI", "TY")]
    assert ris_shape("TY  - GEN\nTI  - A\nUR  - javascript:x\nER  - \n") != ris_shape(ris)
    assert ris_shape("TY  - GEN\nTI  - A\nER  - \nTY  - JOUR\nER  - \n") != ris_shape(ris)
    assert ris_shape("TY  - GEN\nTI  - A\nB\nER  - \n") != ris_shape(ris)
    assert csl_shape('[{"id": "x", "title": "A"}]') != csl_shape('[{"id": "x", "title": "A", "URL": "j"}]')
    assert csl_shape("[{") != csl_shape("[]")
    assert citation_shape(bib) == bibtex_shape(bib) and citation_shape(ris) == ris_shape(ris)


# --- part 2: what the build must refuse, with file, line and key -----------------------------------

@dataclass(frozen=True)
class Refusal:
    file: str
    """Under the project: concepts/....yaml or kb.yml."""
    key: tuple
    value: object
    """The text to put there; a Tagged value is written with its YAML tag."""


@dataclass(frozen=True)
class Tagged:
    yaml_text: str


REFUSED = {
    # line breaks and control characters in single-line fields
    "newline-in-concept-title": Refusal("concepts/twin-towns.yaml", ("title", "en"), "Twin towns\n\n# Fake heading"),
    "carriage-return-in-concept-title": Refusal("concepts/twin-towns.yaml", ("title", "fa"), "خواهرخواندگی\rجعلی"),
    "newline-in-alias": Refusal("concepts/city-diplomacy.yaml", ("aliases", "en", 0),
                                "Urban diplomacy\nUR  - javascript:alert(1)"),
    "escape-in-section-title": Refusal("concepts/city-diplomacy.yaml", ("sections", 0, "title", "en"),
                                       "Forms\x1b[31m red"),
    "newline-in-as-cited": Refusal("concepts/works/smith-jones-2010.yaml", ("as_cited", 0),
                                   "(Smith and Jones, 2010: 12)\nER  - \nTY  - JOUR"),
    "nul-in-work-author": Refusal("concepts/works/smith-jones-2010.yaml", ("authors", 0, "en"), "Smith\x00"),
    "newline-in-work-title": Refusal("concepts/works/smith-jones-2010.yaml", ("title", "original"),
                                     "Cities\n\n# Abroad"),
    "newline-in-doi": Refusal("concepts/articles/test-article.yaml", ("doi",), "10.1/x\n\n# Fake"),
    "newline-in-journal": Refusal("concepts/articles/test-article.yaml", ("journal",),
                                  "Journal\nUR  - javascript:alert(1)\nER  - "),
    "newline-in-published-title": Refusal("concepts/articles/test-article.yaml", ("published_title", "en"),
                                          "A Tset Article\n# About Cities"),
    "next-line-in-author-name": Refusal("concepts/articles/test-article.yaml", ("authors", 0, "name", "en"),
                                        "Maryam\x85Karimi"),
    "bell-in-outline-title": Refusal("concepts/articles/test-article.yaml", ("outline", 0, "title", "en"),
                                     "Introduction\x07"),
    "newline-in-name-as-published": Refusal("concepts/articles/test-article.yaml",
                                            ("authors", 0, "name_as_published", "en"), "maryam\nkarimi"),
    "newline-in-kb-name": Refusal("kb.yml", ("name", "en"), "Test KB\n\n# Fake"),
    "escape-in-kb-editors": Refusal("kb.yml", ("editors", "fa"), "ویراستاران\x1b"),
    # bidi controls and zero-width characters other than ZWNJ and ZWJ, in any field
    "lre-in-title": Refusal("concepts/local-governance.yaml", ("title", "en"), "Local \u202agovernance"),
    "rle-in-summary": Refusal("concepts/local-governance.yaml", ("summary", "fa"), "ادارهٔ امور \u202bدر سطح شهر."),
    "pdf-in-definition": Refusal("concepts/local-governance.yaml", ("definitions", 0, "text", "en"),
                                 "Municipalities \u202cdecide."),
    "lro-in-alias": Refusal("concepts/city-diplomacy.yaml", ("aliases", "fa", 0), "دیپلماسی \u202dشهر"),
    "rlo-in-summary": Refusal("concepts/urban-landscape.yaml", ("summary", "en"), "What gives \u202ea city its shape."),
    "lri-in-paragraph": Refusal("concepts/city-diplomacy.yaml", ("sections", 0, "paragraphs", 0, "text", "en"),
                                "One form is \u2066[[twin-towns|twinning]]."),
    "rli-in-abstract": Refusal("concepts/articles/test-article.yaml", ("abstract", "en"), "A test \u2067abstract."),
    "fsi-in-as-cited": Refusal("concepts/works/karimi-1398.yaml", ("as_cited", 0), "(کریمی، \u20681398: 7)"),
    "pdi-in-kb-name": Refusal("kb.yml", ("name", "fa"), "دانشنامهٔ\u2069 آزمایشی"),
    "zero-width-space-in-definition": Refusal("concepts/twin-towns.yaml", ("definitions", 0, "text", "en"),
                                              "Two towns sign\u200b a pact."),
    "word-joiner-in-alias": Refusal("concepts/twin-towns.yaml", ("aliases", "en", 0), "Twin\u2060ning"),
    "bom-inside-summary": Refusal("concepts/twin-towns.yaml", ("summary", "fa"), "پیوند \ufeffدو شهر."),
    # unknown YAML tags
    "python-tag": Refusal("concepts/twin-towns.yaml", ("title", "en"), Tagged('!!python/name:os.system "x"')),
    "custom-tag": Refusal("concepts/urban-landscape.yaml", ("summary", "fa"), Tagged('!custom "آنچه شهر"')),
    "python-object-tag-in-kb-yml": Refusal("kb.yml", ("name", "en"),
                                           Tagged('!!python/object/apply:os.system ["echo x"]')),
    # a site_url that is not an http(s) URL
    "site-url-with-markup": Refusal("kb.yml", ("site_url",), 'https://example.org/"<>/'),
    "site-url-javascript": Refusal("kb.yml", ("site_url",), "javascript:alert(1)//"),
    "site-url-with-a-tag": Refusal("kb.yml", ("site_url",), "https://example.org/<script>/"),
    "site-url-with-an-entity": Refusal("kb.yml", ("site_url",), "https://example.org/k&amp;b/"),
    "site-url-with-an-apostrophe": Refusal("kb.yml", ("site_url",), "https://example.org/o'brien/"),
}

ACCEPTED_PROSE = {
    "newline-in-summary": Refusal("concepts/local-governance.yaml", ("summary", "en"),
                                  "Running affairs\n\n# Fake heading\n\nat city level."),
    "newline-in-definition": Refusal("concepts/city-diplomacy.yaml", ("definitions", 0, "text", "en"),
                                     "Cities form ties\n\n# Fake heading\n\n- a list\nUR  - javascript:x"),
    "newline-in-abstract": Refusal("concepts/articles/test-article.yaml", ("abstract", "fa"),
                                   "چکیدهٔ آزمایشی\n\n# سرعنوان جعلی\n\nبه بیان ما."),
}


def key_line(text: str, key: tuple) -> int:
    """The line where key is written in a YAML text (a list item: where the item starts)."""
    node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    line = 1
    for part in key:
        if isinstance(part, int):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            key_node, node = next((k, v) for k, v in node.value if k.value == part)
            line = key_node.start_mark.line + 1
    return line


def write_case(root: Path, case: Refusal) -> int:
    """A copy of the small fixture with one value replaced; returns the line of its key."""
    shutil.copytree(FIXTURES / "small", root)
    (root / "docs").mkdir()
    path = root / case.file
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    holder = data
    for part in case.key[:-1]:
        holder = holder[part]
    placeholder = "KB-TAGGED-VALUE"
    holder[case.key[-1]] = placeholder if isinstance(case.value, Tagged) else case.value
    text = dump(data)
    line = key_line(text, case.key)
    if isinstance(case.value, Tagged):
        assert text.count(placeholder) == 1
        text = text.replace(placeholder, case.value.yaml_text)
    path.write_text(text, encoding="utf-8")
    return line


def check(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(REPO / "build_kb.py"), "--check", "--root", str(root)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_the_build_refuses_with_file_line_and_key(name, tmp_path):
    case = REFUSED[name]
    line = write_case(tmp_path / "kb", case)
    result = check(tmp_path / "kb")
    output = result.stdout + result.stderr
    expected = f"{case.file}:{line}: {format_key(case.key)}:"
    if "Traceback" in output:
        fail(f"the build crashed instead of refusing with {expected!r}:\n{output[-1500:]}")
    if result.returncode != 1:
        fail(f"accepted (exit status {result.returncode}); expected a refusal starting {expected!r}")
    if not any(text.startswith(expected) for text in result.stderr.splitlines()):
        fail(f"refused, but no message starts {expected!r}:\n{result.stderr}")


@pytest.mark.parametrize("name", sorted(ACCEPTED_PROSE))
def test_line_breaks_in_prose_are_accepted(name, tmp_path):
    """Prose fields may keep line breaks (part 1 checks that they never become Markdown structure)."""
    write_case(tmp_path / "kb", ACCEPTED_PROSE[name])
    result = check(tmp_path / "kb")
    assert result.returncode == 0, result.stdout + result.stderr

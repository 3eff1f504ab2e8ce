"""The built site (`mkdocs build --strict`): links, anchors, languages and record text as text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.support.site_check import check_links, html_pages, parse_page, resolve, site_language


def test_every_internal_link_and_anchor_resolves_in_both_languages(repo_site):
    pages = html_pages(repo_site)
    assert any(p.startswith("en/concepts/") for p in pages) and any(p.startswith("concepts/") for p in pages)
    assert check_links(repo_site) == []


def test_every_page_declares_its_language_and_direction(repo_site):
    for path, file in html_pages(repo_site).items():
        info = parse_page(file)
        _, lang, _ = site_language(path)  # also in an edition's fixed copy (editions/1.0/en/...)
        direction = "ltr" if lang == "en" else "rtl"
        assert info.html_attrs.get("lang") == lang, path
        assert info.html_attrs.get("dir") == direction, path
        assert info.body_attrs.get("dir") == direction, path


def test_every_page_links_to_its_counterpart_in_the_other_language(repo_site):
    for path, file in html_pages(repo_site).items():
        if path.endswith("404.html"):
            continue
        info = parse_page(file)
        edition, lang, own = site_language(path)
        other = "fa" if lang == "en" else "en"
        assert set(info.alternates) == {other}, path  # one switcher link, to the other language
        target, _ = resolve(repo_site, path, info.alternates[other])
        assert (repo_site / target).exists(), f"{path}: counterpart {info.alternates[other]} is missing"
        # the same page in the other language, of the same edition
        assert site_language(target) == (edition, other, own), f"{path}: the counterpart link goes to {target}"
        assert '<link rel="alternate"' not in file.read_text(encoding="utf-8")  # see hooks/kb_site.py


def test_a_concept_page_has_the_same_section_anchors_in_both_languages(repo_site):
    fa = parse_page(repo_site / "concepts" / "urban-diplomacy" / "index.html").ids
    en = parse_page(repo_site / "en" / "concepts" / "urban-diplomacy" / "index.html").ids
    for anchor in ("definitions", "relations", "in-the-article", "referenced-by", "actors-and-issues"):
        assert anchor in fa and anchor in en


def test_the_sidebar_lists_sections_not_every_concept(repo_site):
    html = (repo_site / "concepts" / "urban-diplomacy" / "index.html").read_text(encoding="utf-8")
    nav = html.split('class="md-nav md-nav--primary"')[1].split("</nav>")[0]
    assert nav.count("md-nav__link") < 12
    assert "concepts/sister-cities/" not in nav


class _Elements(HTMLParser):
    """Collects the elements, attributes and text of the record in the page's <article>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inside = self.finished = False
        self.tags, self.attributes, self.text, self.data_scripts = [], [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag == "h2" and ("id", "cite") in attrs:
            self.finished = True  # the page's own "How to cite" section follows, not record text
        elif tag == "article" and not self.finished:
            self.inside = True
        elif self.inside and not self.finished:
            self.tags.append(tag)
            self.attributes.extend(attrs)
        if tag == "script" and ("type", "application/json") in attrs and ("id", "kb-cite-data") in attrs:
            self.data_scripts += 1  # the page's citation data: JSON, never run

    def handle_endtag(self, tag):
        if tag == "article":
            self.inside = False

    def handle_data(self, data):
        if self.inside and not self.finished:
            self.text.append(data)


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_markup_in_a_record_appears_as_text(hostile_site, lang):
    page = hostile_site / ("en/" if lang == "en" else "") / "concepts" / "hostile-concept" / "index.html"
    found = _Elements()
    found.feed(page.read_text(encoding="utf-8"))
    assert not {"script", "img", "iframe", "em", "code"} & set(found.tags)
    assert found.data_scripts == 1
    assert not [name for name, _ in found.attributes if name.startswith("on")]
    assert not [value for name, value in found.attributes if name == "href" and "javascript" in (value or "")]
    text = "".join(found.text)
    assert "<script>window.kbInjected = true</script>" in text
    assert "<iframe src='https://example.com'></iframe>" in text
    assert "{: onclick=" in text and "`" in text and "![" in text
    assert check_links(hostile_site) == []


class _VisibleText(HTMLParser):
    """The text a reader sees: everything outside <script>, <style>, <template> and code."""

    HIDDEN = {"script", "style", "template", "code", "pre", "textarea"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.hidden, self.text = 0, []

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in self.HIDDEN

    def handle_endtag(self, tag):
        self.hidden -= tag in self.HIDDEN and self.hidden > 0

    def handle_data(self, data):
        if not self.hidden:
            self.text.append(data)


MARKUP_AS_TEXT = re.compile(r"</?(?:a|ul|ol|li|span|div|p|strong|em|br|bdi|svg)\b[^<>]*>|kbref:|\{#[\w-]+\}")


def visible_texts(site) -> dict[str, str]:
    """Site-relative path -> the text a reader sees on that page."""
    texts = {}
    for path, file in html_pages(site).items():
        parser = _VisibleText()
        parser.feed(file.read_text(encoding="utf-8"))
        texts[path] = "".join(parser.text)
    return texts


@pytest.fixture(scope="module")
def site_texts(repo_site) -> dict[str, str]:
    return visible_texts(repo_site)


def test_no_page_shows_markup_or_build_placeholders_as_text(site_texts):
    """Markup escaped twice, an unresolved kbref: link or a heading id left as text is a broken page."""
    leaks = {}
    for path, text in site_texts.items():
        found = MARKUP_AS_TEXT.findall(text)
        if found:
            leaks[path] = found[:3]
    assert leaks == {}


LATIN_PUNCTUATION_IN_PERSIAN = re.compile(r"[\u0600-\u06ff][^\S\n]*[,;?][^\S\n]*[\u0600-\u06ff]")
LIST_ITEM_RUN_ON = re.compile(r"\S {2,}- \S")


def test_generated_text_keeps_persian_punctuation_and_list_items_apart(site_texts):
    """Labels joined with a Latin comma in Persian, or list items run into one line, read as broken."""
    found = {}
    for path, text in site_texts.items():
        bad = LIST_ITEM_RUN_ON.findall(text)
        if site_language(path)[1] == "fa":
            bad += LATIN_PUNCTUATION_IN_PERSIAN.findall(text)
        if bad:
            found[path] = bad[:3]
    assert found == {}


TYPEWRITER_QUOTE = re.compile(r".{0,30}[\"'].{0,30}")


def test_quotation_marks_are_typographic_in_both_languages(site_texts):
    """Readers quote these pages in papers: English text uses “ ” and ’, Persian « » (code excepted)."""
    found = {path: TYPEWRITER_QUOTE.findall(text)[:3] for path, text in site_texts.items()
             if TYPEWRITER_QUOTE.search(text)}
    assert found == {}


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_the_concept_index_links_every_concept_in_its_tree(repo_site, prefix):
    concepts = {p.parent.name for p in (repo_site / prefix / "concepts").glob("*/index.html")}
    html = (repo_site / prefix / "concepts" / "index.html").read_text(encoding="utf-8")
    tree = html.split('class="kb-concept-tree"')[1].split("</div>")[0]
    linked = re.findall(r'<a href="([\w-]+)/">', tree)
    assert len(concepts) > 20 and set(linked) == concepts


@pytest.mark.parametrize("page", ["index.html", "concepts/index.html", "glossary/index.html",
                                  "bibliography/index.html", "articles/khosravi-et-al-synergy/index.html",
                                  "about/index.html"])
def test_main_pages_exist_in_both_languages(repo_site, page):
    assert (repo_site / page).exists() and (repo_site / "en" / page).exists()

"""Render stage: record text stays text, scripts are isolated, and both languages share anchors."""

from __future__ import annotations

import re
from html import unescape
from types import SimpleNamespace

import markdown
import pytest

from kb.text.inline import render_inline
from kb.records.model import Bilingual
from kb.text.persian import gregorian_span, persian_sort_key, to_persian_digits
from kb.pipeline import Paths, run
from kb.records.problems import Problems
from kb.citations import citation_language, work_label, year_in_full
from kb.records.settings import load_settings
from kb.render.pages import render_site
from kb.render.urls import PageUrls
from kb.render.words import Words, read_labels
from kb.render.writer import Writer

SITE_EXTENSIONS = ["toc", "attr_list", "md_in_html", "admonition"]
HEADING = re.compile(r"^#{1,6} .*$", re.MULTILINE)


def to_html(text: str) -> str:
    return markdown.markdown(text, extensions=SITE_EXTENSIONS)


def no_link(target, label):
    raise AssertionError("no links expected")


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<iframe src='https://example.com'></iframe>",
    "*emphasis* and _underscores_ and **strong**",
    "[a link](javascript:alert(1)) and ![image](x.png)",
    "`code` and <http://example.com>",
    "# a heading",
    "1. a list item",
    "- a bullet",
    "!!! note",
    "text {: onclick=\"alert(1)\"} and {#id}",
    "&amp; and &lt; stay as written",
    "a backslash \\* stays",
])
@pytest.mark.parametrize("lang", ["fa", "en"])
def test_record_text_is_shown_as_written_never_as_markup(hostile, lang):
    html = to_html(render_inline(hostile, lang, no_link))
    allowed_tags = {"p", "span", "/p", "/span"}
    tags = set(re.findall(r"<(/?\w+)", html))
    assert tags <= allowed_tags, html
    text = re.sub(r"<[^>]+>", "", html)
    unescaped = (text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"')
                 .replace("&amp;", "&"))
    if lang == "fa":
        unescaped = unescaped.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    assert unescaped == hostile


@pytest.mark.parametrize("summary", ["AT&T {&#", 'a "quoted" <b>word</b>, a \\ backslash', "&amp; &#38; & ;"])
def test_a_links_preview_shows_the_summary_as_written_and_leaves_the_page_whole(summary):
    concept = SimpleNamespace(title=Bilingual(fa="الف", en="A"), summary=Bilingual(fa=summary, en=summary))
    md = Writer(SimpleNamespace(concepts={"a": concept}), Words(read_labels(), "en"), PageUrls("en", "concepts/b.md"),
                markdown=True)
    html = to_html(f"{md.concept_link('a')} <span>(after)</span>\n\n<div class=\"block\">\n<p>next</p>\n</div>\n\n"
                   "last <span>end</span>")
    assert [html.count(word) for word in ("(after)", "next", "last", "end")] == [1, 1, 1, 1], html
    assert "<p><div" not in html, html  # the raw HTML block after the link is still a block
    # Material's content.tooltips inserts the title attribute's value with innerHTML, so the value
    # holds HTML-escaped text: read as an attribute, then as HTML, it is the summary as written.
    assert unescape(unescape(re.search(r'title="([^"]*)"', html).group(1))) == summary


@pytest.mark.parametrize("text, run, after", [
    ("مانند #definitions.", "#definitions", "."),        # an anchor keeps its '#'; the full stop is Persian
    ("به گفتهٔ Van Overbeek.", "Van Overbeek", "."),
    ("احمدی‌پور و همکاران (Ahmadipour et al.)", "Ahmadipour et al.", ")"),  # an abbreviation keeps its stop
    ("نک. p. 15", "p. 15", ""),
])
def test_a_latin_run_in_persian_takes_its_anchor_sign_but_not_the_sentences_full_stop(text, run, after):
    out = render_inline(text, "fa", no_link)
    assert f'<span lang="en" dir="ltr">{run}</span>{after}' in out, out


def test_latin_runs_in_persian_text_are_isolated_and_keep_latin_digits():
    out = render_inline("به گفتهٔ Van Overbeek, 2008: 20 در سال 1397", "fa", no_link)
    assert out == ('به گفتهٔ <span lang="en" dir="ltr">Van Overbeek, 2008: 20</span> '
                   'در سال ۱۳۹۷')


def test_persian_runs_in_english_text_are_isolated():
    out = render_inline("also called «خواهرخواندگی» in Persian", "en", no_link)
    assert out == 'also called «<span lang="fa" dir="rtl">خواهرخواندگی</span>» in Persian'


def test_links_are_rendered_by_the_link_function():
    out = render_inline("see [[twin-towns]] and [[city-diplomacy|this]]", "en",
                        lambda target, label: f"[{label or target}]({target}.md)")
    assert out == "see [twin-towns](twin-towns.md) and [this](city-diplomacy.md)"


@pytest.mark.parametrize("year, span", [(1397, "2018–19"), (1378, "1999–2000"), (1389, "2010–11")])
def test_solar_hijri_years_show_the_gregorian_years_they_overlap(year, span):
    assert gregorian_span(year) == span


def test_persian_alphabetical_order_differs_from_code_point_order():
    words = ["گل", "کتاب", "لاله", "پدر", "بابا", "ژاله", "زرد", "سیب", "چای", "جنگ", "حلوا",
             "هم‌افزایی", "وزن", "آب", "امید", "یاس"]
    expected = ["آب", "امید", "بابا", "پدر", "جنگ", "چای", "حلوا", "زرد", "ژاله", "سیب", "کتاب", "گل",
                "لاله", "وزن", "هم‌افزایی", "یاس"]
    assert sorted(words, key=persian_sort_key) == expected
    assert sorted(words) != expected  # plain code-point order gets it wrong


def test_arabic_letter_forms_and_zwnj_do_not_change_the_order():
    assert persian_sort_key("كتاب") == persian_sort_key("کتاب")
    assert persian_sort_key("هم‌افزایی") == persian_sort_key("همافزایی")


def test_digits_become_persian():
    assert to_persian_digits("1397: 91") == "۱۳۹۷: ۹۱"


@pytest.fixture
def rendered(small_kb):
    result = run(small_kb, write=False)
    assert result.ok
    return result.kb, {page.path: page.text for page in render_site(result.kb, _settings())}


def _settings():
    from tests.support.project import FIXTURES
    paths = Paths.for_root(FIXTURES / "small")
    return load_settings(paths.settings, paths.root, Problems())


def test_citations_follow_each_languages_conventions(rendered):
    kb, _ = rendered
    def cited(work, page, lang):  # how a page in lang names a work it cites
        return work_label(work, citation_language(work, lang), page)

    karimi, smith, rahimi = kb.works["karimi-1398"], kb.works["smith-jones-2010"], kb.works["rahimi-et-al-1390"]
    assert cited(karimi, "7", "fa") == "کریمی، ۱۳۹۸: ۷"
    assert cited(karimi, "7", "en") == "Karimi, 1398 SH: 7"
    assert cited(smith, "12", "fa") == "Smith & Jones, 2010: 12"   # Latin-script works stay Latin
    assert cited(rahimi, "3", "en") == "Rahimi et al., 1390 SH: 3"
    assert cited(rahimi, "3", "fa") == "رحیمی و همکاران، ۱۳۹۰: ۳"
    year_1397 = SimpleNamespace(year="1397", calendar="solar-hijri")
    assert year_in_full(year_1397, "fa") == "۱۳۹۷ ش (≈ ۲۰۱۸–۱۹ م)"
    assert year_in_full(year_1397, "en") == "1397 SH (≈ 2018–19 CE)"


def test_a_latin_citation_on_a_persian_page_is_an_ltr_isolate(rendered):
    _, pages = rendered
    page = pages["fa/concepts/city-diplomacy.md"]
    assert ('<span class="kb-cite" lang="en" dir="ltr" data-kb-source="smith-jones-2010:12">'
            '([Smith &amp; Jones, 2010: 12](../../bibliography/#smith-jones-2010))</span>') in page


def test_every_heading_has_an_explicit_ascii_id_shared_by_both_languages(rendered):
    _, pages = rendered
    for path, text in pages.items():
        for heading in HEADING.findall(text):
            assert re.search(r" \{#[a-z0-9-]+\}$", heading), f"{path}: {heading}"
    for path in pages:
        if path.startswith("fa/") and path.endswith(".md"):
            fa_ids = re.findall(r"\{#([a-z0-9-]+)\}", pages[path])
            en_ids = re.findall(r"\{#([a-z0-9-]+)\}", pages["en/" + path[3:]])
            if "glossary" not in path:  # glossary letters differ by alphabet
                assert sorted(fa_ids) == sorted(en_ids), path


def test_unknown_bibliographic_fields_are_shown_as_unknown(rendered):
    _, pages = rendered
    entry = pages["en/bibliography.md"].split("{#karimi-1398}")[1].split("###")[0]
    assert entry.count('<span class="kb-unknown">unknown</span> (not given in the article)') == 3
    assert "<strong>Year:</strong> 1398 SH (≈ 2019–20 CE)" in entry

"""Citation formats, checked against hand-written expected strings, and the files readers download."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import bibtexparser
import pytest

from kb.citations import (
    URL_SLOT,
    article_apa,
    article_chicago,
    article_in_text,
    kb_apa,
    kb_chicago,
    kb_entry,
    long_date,
    secondary_in_text,
)
from kb.records.model import Bilingual, SiteSettings
from kb.editions import load_history
from tests.support.project import REPO, repo_build, repo_settings
from tests.support.site_check import cite_data, html_pages, parse_page, site_language

SETTINGS = SiteSettings(name=Bilingual("دانشنامهٔ دیپلماسی شهری و عمومی", "Diplomacy KB: Urban and public diplomacy"),
                        editors=Bilingual("ویراستاران دانشنامهٔ دیپلماسی شهری و عمومی", "Diplomacy KB editors"),
                        edition="1.0", edition_date=dt.date(2026, 11, 26))


@pytest.fixture(scope="module")
def kb():
    return repo_build().kb


def test_dates_follow_each_language_and_calendar():
    assert long_date(dt.date(2026, 11, 26), "en") == "November 26, 2026"
    assert long_date(dt.date(2026, 11, 26), "fa") == "۵ آذر ۱۴۰۵"
    assert long_date(dt.date(2026, 3, 21), "fa") == "۱ فروردین ۱۴۰۵"


# --- a section of the knowledge base -------------------------------------------------------

def test_a_section_in_apa_in_english():
    assert kb_apa(SETTINGS, "en", "Urban diplomacy", "Definitions").text == (
        "Diplomacy KB editors. (2026). Urban diplomacy: Definitions. In Diplomacy KB: Urban and public "
        f"diplomacy (Edition 1.0, November 26, 2026). {URL_SLOT}")


def test_a_section_in_apa_in_persian():
    assert kb_apa(SETTINGS, "fa", "دیپلماسی شهری", "تعریف‌ها").text == (
        "ویراستاران دانشنامهٔ دیپلماسی شهری و عمومی (۱۴۰۵). «دیپلماسی شهری: تعریف‌ها». در دانشنامهٔ "
        f"دیپلماسی شهری و عمومی (ویرایش ۱٫۰، ۵ آذر ۱۴۰۵). {URL_SLOT}")


def test_a_section_in_chicago_in_english_uses_headline_case():
    assert kb_chicago(SETTINGS, "en", "Bilateral city diplomacy", "Limits").text == (
        "Diplomacy KB editors. 2026. “Bilateral City Diplomacy: Limits.” In Diplomacy KB: Urban and Public "
        f"Diplomacy, edition 1.0, November 26, 2026. {URL_SLOT}.")


def test_a_page_in_chicago_in_persian():
    assert kb_chicago(SETTINGS, "fa", "خواهرخواندگی", None).text == (
        "ویراستاران دانشنامهٔ دیپلماسی شهری و عمومی. ۱۴۰۵. «خواهرخواندگی». در دانشنامهٔ دیپلماسی شهری و "
        f"عمومی، ویرایش ۱٫۰، ۵ آذر ۱۴۰۵. {URL_SLOT}.")


def test_titles_are_in_italics_in_html_and_markup_is_escaped():
    cited = kb_apa(SETTINGS, "en", "A <b>title</b>", None)
    assert "<i>Diplomacy KB: Urban and public diplomacy</i>" in cited.html
    assert "A &lt;b&gt;title&lt;/b&gt;" in cited.html


def test_a_section_as_bibtex_and_ris():
    record = kb_entry(SETTINGS, "en", "urban-diplomacy", "Urban diplomacy", "definitions", "Definitions").as_data()
    assert record["bibtex"] == (
        "@incollection{diplomacykb-en-urban-diplomacy-definitions,\n"
        "  author    = {{Diplomacy KB editors}},\n"
        "  title     = {Urban diplomacy: Definitions},\n"
        "  booktitle = {Diplomacy KB: Urban and public diplomacy},\n"
        "  edition   = {1.0},\n"
        "  year      = {2026},\n"
        "  date      = {2026-11-26},\n"
        "  publisher = {Diplomacy KB: Urban and public diplomacy},\n"
        f"  url       = {{{URL_SLOT}}},\n"
        "  language  = {english}\n"
        "}\n")
    assert record["ris"] == (
        "TY  - ENCYC\nAU  - Diplomacy KB editors\nTI  - Urban diplomacy: Definitions\n"
        "T2  - Diplomacy KB: Urban and public diplomacy\nET  - 1.0\nPY  - 2026\nDA  - 2026/11/26\n"
        f"PB  - Diplomacy KB: Urban and public diplomacy\nUR  - {URL_SLOT}\nLA  - en\nER  - \n")


# --- the works behind a claim ---------------------------------------------------------------

def test_a_persian_work_cited_through_the_article(kb):
    work, article = kb.works["dehshiri-khorrami-1397"], kb.articles["khosravi-et-al-synergy"]
    assert secondary_in_text(work, "91", article, "apa", "en") == \
        "(Dehshiri & Khorrami, 1397 SH, p. 91, as cited in Khosravi et al., n.d.)"
    assert secondary_in_text(work, "91", article, "chicago", "en") == \
        "(Dehshiri & Khorrami 1397 SH, 91, cited in Khosravi et al., n.d.)"
    assert secondary_in_text(work, "91", article, "apa", "fa") == \
        "(دهشیری و خرمی، ۱۳۹۷: ۹۱، به نقل از خسروی و همکاران، بی‌تا)"


def test_an_english_work_cited_through_the_article(kb):
    work, article = kb.works["van-overbeek-2008"], kb.articles["khosravi-et-al-synergy"]
    assert secondary_in_text(work, "20", article, "apa", "en") == \
        "(Van Overbeek, 2008, p. 20, as cited in Khosravi et al., n.d.)"
    assert secondary_in_text(work, "20", article, "chicago", "en") == \
        "(Van Overbeek 2008, 20, cited in Khosravi et al., n.d.)"
    # on a Persian page a Latin-script work keeps its Latin form, as the article writes it
    assert secondary_in_text(work, "20", article, "chicago", "fa") == \
        "(Van Overbeek, 2008: 20، به نقل از خسروی و همکاران، بی‌تا)"


def test_a_work_with_several_authors_the_article(kb):
    article = kb.articles["khosravi-et-al-synergy"]
    assert article_apa(article, "en").text == (
        "Khosravi, A., Ahmadi, H., Zakerian, M., & Moussavizadeh, A. (n.d.). Necessity and aequirements "
        "[sic] of synergy urban diplomacy with public diplomacy in cultural and economic interaction in "
        "foreign policy [Research article; journal, year and pages unknown].")
    assert article_chicago(article, "en").text == (
        "Khosravi, Afsane, Hamid Ahmadi, Mahdi Zakerian, and Alireza Moussavizadeh. n.d. “Necessity and "
        "Aequirements [sic] of Synergy Urban Diplomacy with Public Diplomacy in Cultural and Economic "
        "Interaction in Foreign Policy.” Research article; journal, year and pages unknown.")
    assert article_apa(article, "fa").text == (
        "خسروی، افسانه؛ احمدی، حمید؛ ذاکریان، مهدی؛ موسوی‌زاده، علیرضا (بی‌تا). هم‌افزایی دیپلماسی شهری با "
        "دیپلماسی عمومی در حوزه تعاملات فرهنگی و اقتصادی. [مقالهٔ پژوهشی؛ نشریه، سال و صفحه‌ها نامعلوم]")
    assert article_chicago(article, "fa").text == (
        "خسروی، افسانه، حمید احمدی، مهدی ذاکریان و علیرضا موسوی‌زاده. بی‌تا. «هم‌افزایی دیپلماسی شهری با "
        "دیپلماسی عمومی در حوزه تعاملات فرهنگی و اقتصادی». مقالهٔ پژوهشی؛ نشریه، سال و صفحه‌ها نامعلوم.")


def test_a_work_with_et_al_and_the_articles_own_words(kb):
    work, article = kb.works["ahmadipour-et-al-1391"], kb.articles["khosravi-et-al-synergy"]
    assert secondary_in_text(work, "158", article, "apa", "en") == \
        "(Ahmadipour et al., 1391 SH, p. 158, as cited in Khosravi et al., n.d.)"
    assert article_in_text(article, "A. Conceptualising urban diplomacy", "chicago", "en") == \
        "(Khosravi et al., n.d., section “A. Conceptualising urban diplomacy”)"
    assert article_in_text(article, "الف. مفهوم‌شناسی دیپلماسی شهری", "apa", "fa") == \
        "(خسروی و همکاران، بی‌تا، بخش «الف. مفهوم‌شناسی دیپلماسی شهری»)"


# --- the bibliography downloads, read back by other tools ------------------------------------

def test_the_bibtex_download_parses_back_with_persian_intact(repo_site):
    text = (repo_site / "downloads" / "bibliography.bib").read_text(encoding="utf-8")
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    entries = {entry.key: entry for entry in library.entries}
    assert len(entries) == 17  # the article and the 16 works it cites
    assert entries["dehshiri-khorrami-1397"]["author"] == "{دهشیری} and {خرمی}"
    assert entries["khosravi-et-al-synergy"]["title"] == \
        "هم‌افزایی دیپلماسی شهری با دیپلماسی عمومی در حوزه تعاملات فرهنگی و اقتصادی"
    assert "\u200c" in entries["khosravi-et-al-synergy"]["title"]  # the non-joiner survives


def test_the_ris_download_has_one_record_per_work(repo_site):
    text = (repo_site / "en" / "downloads" / "bibliography.ris").read_text(encoding="utf-8")
    assert text.count("TY  - ") == text.count("ER  - ") == 17
    assert "AU  - نجاتی حسینی" in text


def test_the_csl_json_download_renders_with_citeproc(repo_site):
    import citeproc
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    items = json.loads((repo_site / "downloads" / "bibliography.json").read_text(encoding="utf-8"))
    bundled_style = Path(citeproc.__file__).parent / "data" / "styles" / "harvard-cite-them-right.csl"
    style = CitationStylesStyle(str(bundled_style), validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for item in items:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bibliography.bibliography()]
    assert len(rendered) == 17
    assert any("دهشیری" in line and "1397 SH" in line for line in rendered)
    assert any(line.startswith("Van Overbeek") and "2008" in line for line in rendered)


# --- what the built pages carry ---------------------------------------------------------------

def meta_tags(page: Path) -> list[tuple[str, str]]:
    import re
    return re.findall(r'<meta name="(citation_[a-z_]+)" content="([^"]*)">', page.read_text(encoding="utf-8"))


def test_concept_pages_carry_highwire_tags_and_json_ld(repo_site):
    tags = dict(meta_tags(repo_site / "en" / "concepts" / "sister-cities" / "index.html"))
    assert tags["citation_title"] == "Sister cities"
    assert tags["citation_author"] == "Diplomacy KB editors"
    assert tags["citation_publication_date"] == f"{repo_settings().edition_date:%Y/%m/%d}"
    assert tags["citation_language"] == "en"
    html = (repo_site / "concepts" / "sister-cities" / "index.html").read_text(encoding="utf-8")
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["@type"] == "DefinedTerm" and data["name"] == "خواهرخواندگی"
    assert data["inDefinedTermSet"]["@type"] == "DefinedTermSet"
    assert "Twinning" in data["alternateName"]


def test_the_article_page_carries_the_original_articles_metadata(repo_site):
    tags = meta_tags(repo_site / "articles" / "khosravi-et-al-synergy" / "index.html")
    assert ("citation_title", "هم‌افزایی دیپلماسی شهری با دیپلماسی عمومی در حوزه تعاملات فرهنگی و اقتصادی") in tags
    assert [v for k, v in tags if k == "citation_author"] == [
        "Afsane Khosravi", "Hamid Ahmadi", "Mahdi Zakerian", "Alireza Moussavizadeh"]
    assert ("citation_language", "fa") in tags
    assert not [k for k, _ in tags if k in ("citation_journal_title", "citation_publication_date")]  # unknown


def test_every_citation_anchor_exists_on_its_page(repo_site):
    checked = 0
    for path, file in html_pages(repo_site).items():
        html = file.read_text(encoding="utf-8")
        if 'id="kb-cite-data"' not in html:
            continue
        data = cite_data(html)
        ids = parse_page(file).ids
        for anchor in (a for a in data["entries"] if a):  # "" is the page itself
            assert anchor in ids, f"{path}: a citation points to #{anchor}, which is not there"
            checked += 1
    assert checked > 200


def test_every_page_shows_the_edition(repo_site):
    """Each page names its edition: kb.yml's on the current site, its own in an edition's copy."""
    settings, history = repo_settings(), load_history(REPO)
    dates = {e.edition: e.date for e in history.editions} | {settings.edition: settings.edition_date}
    persian_digits = str.maketrans("0123456789.", "۰۱۲۳۴۵۶۷۸۹٫")
    seen = set()
    for path, file in html_pages(repo_site).items():
        if path.endswith("404.html"):
            continue
        prefix, lang, _ = site_language(path)
        edition = prefix.split("/")[1] if prefix else settings.edition
        seen.add(edition)
        html = file.read_text(encoding="utf-8")
        assert f'data-kb-edition="{edition}"' in html, path
        date = dates[edition]
        shown = f"Edition {edition}, {date:%B} {date.day}, {date.year}" if lang == "en" else \
            f"ویرایش {edition.translate(persian_digits)}، "
        assert shown in html, path
    assert seen == set(dates)

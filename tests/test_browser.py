"""What readers do, in a real browser (Debian's Chromium via Playwright)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.support.browser import serve_directory
from tests.support.project import REPO, repo_settings

PAGES = ["", "concepts/", "glossary/", "bibliography/", "articles/", "articles/khosravi-et-al-synergy/",
         "about/", "concepts/urban-diplomacy/", "concepts/public-diplomacy/", "concepts/sister-cities/",
         "concepts/bilateral-city-diplomacy/", "concepts/multilateral-city-diplomacy/"]


@pytest.fixture
def page(new_page):
    return new_page()


def direction_of(page) -> tuple[str, str, str]:
    return page.evaluate("""() => [document.documentElement.lang, document.documentElement.dir,
                                   getComputedStyle(document.body).direction]""")


@pytest.mark.parametrize("path", PAGES)
def test_the_language_switcher_lands_on_the_same_page_and_back(page, site_url, path):
    page.goto(f"{site_url}/{path}")
    assert direction_of(page) == ["fa", "rtl", "rtl"]
    page.click("[data-kb-counterpart]")
    page.wait_for_load_state()
    assert urlsplit(page.url).path == f"/en/{path}"
    assert direction_of(page) == ["en", "ltr", "ltr"]
    page.click("[data-kb-counterpart]")
    page.wait_for_load_state()
    assert urlsplit(page.url).path == f"/{path}"
    assert direction_of(page) == ["fa", "rtl", "rtl"]


def test_a_section_link_opens_the_same_section_in_both_languages(page, site_url):
    for prefix in ("", "en/"):
        page.goto(f"{site_url}/{prefix}concepts/urban-diplomacy/#definitions")
        heading = page.locator("#definitions")
        assert heading.is_visible()
        assert heading.bounding_box()["y"] < 200  # scrolled to the section


def test_the_other_language_title_is_marked_with_its_own_language(page, site_url):
    page.goto(f"{site_url}/concepts/urban-diplomacy/")
    other = page.locator(".kb-other-title")
    assert other.get_attribute("lang") == "en" and other.get_attribute("dir") == "ltr"
    assert other.inner_text() == "Urban diplomacy"


def test_markup_in_a_record_shows_as_text_and_never_runs(new_page, hostile_site):
    tab = new_page()
    dialogs = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve_directory(hostile_site) as base:
        for prefix in ("", "en/"):
            tab.goto(f"{base}/{prefix}concepts/hostile-concept/")
            tab.wait_for_load_state("networkidle")
            text = tab.locator("article").inner_text()
            assert "<script>window.kbInjected = true</script>" in text
            assert "<iframe src='https://example.com'></iframe>" in text
            assert tab.evaluate("() => window.kbInjected") is None
            assert tab.locator("article img, article iframe").count() == 0
            # the only script in the content is the page's citation data, which never runs
            assert tab.locator("article script").evaluate_all("s => s.map(x => x.type + '#' + x.id)") == \
                ["application/json#kb-cite-data"]
            assert tab.evaluate("() => JSON.parse(document.getElementById('kb-cite-data').textContent).page") \
                == "hostile-concept"
    assert dialogs == []


def test_no_request_leaves_the_local_server(new_page, site_url):
    tab = new_page()
    requested = []
    tab.context.on("request", lambda request: requested.append(request.url))
    for path in PAGES + [f"en/{p}" for p in PAGES]:
        tab.goto(f"{site_url}/{path}")
        tab.wait_for_load_state("networkidle")
    tab.keyboard.press("/")  # open search: loads the worker and the index
    tab.keyboard.type("diplomacy")
    tab.wait_for_timeout(500)
    hosts = {urlsplit(url).hostname for url in requested if not url.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, sorted(u for u in requested if "127.0.0.1" not in u)
    assert any(url.endswith(".woff2") for url in requested), "the self-hosted font was not loaded"


def test_the_site_works_under_a_path_prefix(new_page, repo_site, tmp_path):
    import shutil

    shutil.copytree(repo_site, tmp_path / "host" / "research" / "kb")
    tab = new_page()
    failed = []
    tab.context.on("requestfailed", lambda request: failed.append(request.url))
    tab.context.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    with serve_directory(tmp_path / "host") as base:
        tab.goto(f"{base}/research/kb/concepts/urban-diplomacy/")
        tab.wait_for_load_state("networkidle")
        assert tab.evaluate("() => document.fonts.check('16px Vazirmatn')")
        tab.click("[data-kb-counterpart]")
        tab.wait_for_load_state("networkidle")
        assert urlsplit(tab.url).path == "/research/kb/en/concepts/urban-diplomacy/"
        tab.click("a.md-nav__link[href$='glossary/']")
        tab.wait_for_load_state("networkidle")
        assert urlsplit(tab.url).path == "/research/kb/en/glossary/"
    assert failed == []


@pytest.mark.parametrize("prefix, expected", [
    ("", "ویراستاران دانشنامهٔ دیپلماسی شهری و عمومی ({year}). «دیپلماسی شهری: تعریف‌ها». در دانشنامهٔ دیپلماسی "
         "شهری و عمومی (ویرایش {edition}، {date}). {url}{fixed}concepts/urban-diplomacy/#definitions"),
    ("en/", "Diplomacy KB editors. ({year}). Urban diplomacy: Definitions. In Diplomacy KB: Urban and public "
            "diplomacy (Edition {edition}, {date}). {url}{fixed}en/concepts/urban-diplomacy/#definitions"),
])
def test_a_sections_cite_control_copies_its_citation(new_page, site_url, prefix, expected):
    """The copied citation names the edition and its permanent address, whose text stays as cited
    (once kb.yml's edition is published in editions/; before, the page's own address)."""
    from kb.citations.text import citation_year, long_date
    from kb.languages import LANGUAGES
    settings = repo_settings()
    published = (REPO / "editions" / settings.edition / "edition.json").is_file()
    lang = "en" if prefix else "fa"
    expected = expected.replace("{year}", citation_year(settings.edition_date, lang)).replace(
        "{edition}", LANGUAGES[lang].edition_number(settings.edition)).replace(
        "{date}", long_date(settings.edition_date, lang)).replace(
        "{fixed}", f"editions/{settings.edition}/" if published else "")
    tab = new_page(permissions=["clipboard-read", "clipboard-write"])
    tab.goto(f"{site_url}/{prefix}concepts/urban-diplomacy/")
    tab.locator("#definitions [data-kb-cite-control]").click()
    dialog = tab.locator("dialog.kb-cite-dialog[open]")
    dialog.wait_for()
    dialog.locator(".kb-cite-copy").first.click()
    tab.wait_for_function("() => document.querySelector('.kb-cite-copy').textContent !== "
                          "JSON.parse(document.getElementById('kb-cite-data').textContent).labels.copy")
    assert tab.evaluate("navigator.clipboard.readText()") == expected.replace("{url}", f"{site_url}/")
    tab.keyboard.press("Escape")
    assert not tab.locator("dialog.kb-cite-dialog[open]").count()


def test_every_section_heading_has_a_cite_control(page, site_url):
    page.goto(f"{site_url}/en/concepts/urban-diplomacy/")
    headings = page.locator("article h2[id]")
    ids = [headings.nth(i).get_attribute("id") for i in range(headings.count())]
    assert "definitions" in ids and "actors-and-issues" in ids
    for anchor in ids:
        if anchor != "cite":
            assert page.locator(f"[id='{anchor}'] [data-kb-cite-control]").count() == 1, anchor
    assert page.locator("h1 [data-kb-cite-control]").count() == 1


def test_a_definitions_source_offers_the_original_works_citation(new_page, site_url):
    tab = new_page(permissions=["clipboard-read", "clipboard-write"])
    tab.goto(f"{site_url}/en/concepts/urban-diplomacy/")
    tab.locator("[data-kb-source='van-der-pluijm-2007:1'] [data-kb-cite-control]").first.click()
    dialog = tab.locator("dialog.kb-cite-dialog[open]")
    dialog.wait_for()
    assert "(van der Pluijm, 2007, p. 1, as cited in Khosravi et al., n.d.)" in dialog.inner_text()
    assert "Khosravi, A., Ahmadi, H., Zakerian, M., & Moussavizadeh, A. (n.d.)." in dialog.inner_text()
    dialog.locator(".kb-cite-copy").first.click()
    tab.wait_for_timeout(200)
    assert tab.evaluate("navigator.clipboard.readText()") == \
        "(van der Pluijm, 2007, p. 1, as cited in Khosravi et al., n.d.)"


def test_without_javascript_the_page_still_says_how_to_cite_it(new_page, site_url):
    tab = new_page(java_script_enabled=False)
    tab.goto(f"{site_url}/en/concepts/sister-cities/")
    text = tab.locator("#cite ~ .kb-cite-static").inner_text()
    assert "Diplomacy KB editors. (2026). Sister cities. In Diplomacy KB" in text
    assert "en/concepts/sister-cities/" in text


# Where each character of "#definitions" and the full stop after it is drawn: x of its left edge.
_GLYPH_POSITIONS = """() => {
  const walker = document.createTreeWalker(document.querySelector("article"), NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  const at = (node, i) => { const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                            return r.getBoundingClientRect().left; };
  const found = [];
  nodes.forEach((node, k) => {
    const i = node.data.indexOf("#definitions");
    if (i < 0) return;
    const end = i + "#definitions".length;
    let stop = null;
    if (node.data[end] === ".") stop = at(node, end);
    else if (end === node.data.length && nodes[k + 1] && nodes[k + 1].data[0] === ".") stop = at(nodes[k + 1], 0);
    found.push({hash: at(node, i), d: at(node, i + 1), s: at(node, end - 1), stop});
  });
  return found;
}"""


@pytest.mark.parametrize("path", ["", "concepts/urban-diplomacy/"])
def test_an_anchor_in_persian_text_reads_as_written(page, site_url, path):
    """'#definitions' inside Persian text: '#' drawn before the word, the full stop after it (on its left)."""
    page.goto(f"{site_url}/{path}")
    found = page.evaluate(_GLYPH_POSITIONS)
    assert found, "no #definitions on the page"
    for glyphs in found:
        assert glyphs["hash"] < glyphs["d"] < glyphs["s"], glyphs
        if glyphs["stop"] is not None:
            assert glyphs["stop"] < glyphs["hash"], glyphs

"""Reading the site: concept maps, previews, phone, dark mode, print and accessibility.

Screenshots and the printed PDF are saved in test-artifacts/ for people to look at.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from tests.support.artifacts import artifact
from tests.support.project import REPO

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
PAGE_TYPES = ["", "concepts/urban-diplomacy/", "glossary/", "bibliography/", "map/",
              "articles/khosravi-et-al-synergy/"]
LANGS = {"fa": "", "en": "en/"}


# --- concept maps ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fa", "en"])
def test_a_concept_page_maps_its_neighbourhood_with_links_without_javascript(new_page, site_url, lang):
    page = new_page(java_script_enabled=False)
    page.goto(f"{site_url}/{LANGS[lang]}concepts/sister-cities/")
    svg = page.locator("#relations ~ .kb-map svg")
    assert svg.is_visible()
    targets = {urlsplit(a.get_attribute("href")).path.strip("/").split("/")[-1]
               for a in svg.locator("a").all()}
    listed = {urlsplit(a.get_attribute("href")).path.strip("/").split("/")[-1]
              for a in page.locator("#relations + ul a").all()}
    assert targets == listed and "urban-diplomacy" in targets  # the map shows what the list says
    labels = " ".join(svg.locator("text").all_text_contents())
    assert ("دیپلماسی شهری" in labels) == (lang == "fa") and ("Urban diplomacy" in labels) == (lang == "en")
    page.screenshot(path=str(artifact(f"map-neighbourhood-{lang}.png")), full_page=True)


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_the_whole_map_shows_every_concept_and_lists_the_relations_as_text(new_page, site_url, lang):
    page = new_page()
    page.goto(f"{site_url}/{LANGS[lang]}map/")
    dots = page.locator(".kb-map-whole svg a").count()
    listed = page.locator("#relations-list ~ ul > li").count()
    assert dots == listed == 23
    assert page.locator(".kb-map-whole svg").get_attribute("aria-hidden") == "true"
    page.locator(".kb-map-whole svg a").first.click()
    assert "/concepts/" in page.url


def test_no_unresolved_map_link_is_left_in_the_site(repo_site):
    for html in repo_site.rglob("*.html"):
        assert "kbref:" not in html.read_text(encoding="utf-8"), html


# --- previews -------------------------------------------------------------------------------

def test_hovering_a_concept_link_previews_its_summary_and_keeps_links_working(new_page, site_url):
    page = new_page()
    page.goto(f"{site_url}/en/concepts/sister-cities/")
    link = page.locator("#relations + ul a[href$='urban-diplomacy/']").first
    link.hover()
    tooltip = page.locator(".md-tooltip2--active")
    tooltip.wait_for()
    assert tooltip.inner_text().startswith("The international action of cities and local authorities")
    page.screenshot(path=str(artifact("preview-en.png")))
    link.click()
    assert urlsplit(page.url).path == "/en/concepts/urban-diplomacy/"
    page.click("[data-kb-counterpart]")  # the switcher still lands on the counterpart
    assert urlsplit(page.url).path == "/concepts/urban-diplomacy/"
    page.goto(f"{site_url}/concepts/urban-diplomacy/#in-the-article")
    assert page.locator("#in-the-article").bounding_box()["y"] < 200


# --- phone ----------------------------------------------------------------------------------

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_every_page_fits_a_phone_without_horizontal_scrolling(new_page, repo_site, site_url, lang):
    page = new_page(**PHONE)
    root = repo_site / LANGS[lang]
    paths = sorted(f.parent.relative_to(root).as_posix() + "/" for f in root.rglob("index.html")
                   if not f.relative_to(root).as_posix().startswith(("en/", "editions/")))
    assert len(paths) > 30 and "concepts/sister-cities/" in paths
    # an edition's fixed copy has the same pages, with its notice on top: one of each edition
    paths += [f"{'../' if lang == 'en' else ''}editions/{e}/{LANGS[lang]}concepts/urban-diplomacy/"
              for e in sorted(p.name for p in (repo_site / "editions").iterdir())]
    too_wide = {}
    for path in paths:
        page.goto(f"{site_url}/{LANGS[lang]}{path.removeprefix('./')}")
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 390:
            too_wide[path] = width
    assert too_wide == {}
    page.goto(f"{site_url}/{LANGS[lang]}map/")
    box = page.locator(".kb-map-whole")
    assert box.evaluate("b => b.scrollWidth > b.clientWidth")  # the map scrolls in its own box
    page.goto(f"{site_url}/{LANGS[lang]}concepts/urban-diplomacy/")
    page.screenshot(path=str(artifact(f"phone-concept-{lang}.png")), full_page=True)


@pytest.mark.parametrize("lang, side", [("fa", "right"), ("en", "left")])
def test_the_drawer_opens_from_the_reading_side(new_page, site_url, lang, side):
    page = new_page(**PHONE)
    page.goto(f"{site_url}/{LANGS[lang]}concepts/urban-diplomacy/")
    page.click(".md-header label[for='__drawer']")
    page.wait_for_timeout(400)
    left, right = page.evaluate("() => { const r = document.querySelector('.md-sidebar--primary')"
                                ".getBoundingClientRect(); return [r.left, r.right]; }")
    assert (round(right) == 390) if side == "right" else (round(left) == 0)
    page.screenshot(path=str(artifact(f"phone-drawer-{lang}.png")))


# --- dark mode ------------------------------------------------------------------------------

def test_the_dark_mode_choice_is_remembered(new_page, site_url):
    page = new_page(color_scheme="light")
    page.goto(f"{site_url}/concepts/urban-diplomacy/")
    assert page.get_attribute("body", "data-md-color-scheme") == "default"
    page.click("label.md-header__button[for='__palette_1']")
    page.wait_for_function("() => document.body.getAttribute('data-md-color-scheme') === 'slate'")
    page.goto(f"{site_url}/en/glossary/")  # another page, the other language
    page.wait_for_load_state("networkidle")
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    page.reload()
    assert page.get_attribute("body", "data-md-color-scheme") == "slate"
    page.screenshot(path=str(artifact("dark-glossary-en.png")))


# --- print ----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["fa", "en"])
def test_printing_shows_the_text_its_link_targets_and_the_citation(new_page, site_url, lang):
    page = new_page()
    page.goto(f"{site_url}/{LANGS[lang]}concepts/sister-cities/")
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.md-header', '.md-sidebar--primary', '.md-sidebar--secondary', '.md-footer',
                                      '.kb-cite-button'].map(s => getComputedStyle(document.querySelector(s)).display)""")
    assert set(hidden) == {"none"}
    target = page.evaluate("""() => getComputedStyle(
        document.querySelector('#relations + ul a[href$="urban-diplomacy/"]'), '::after').content""")
    assert f"{site_url}/{LANGS[lang]}concepts/urban-diplomacy/" in target
    assert page.locator("#cite").is_visible() and page.locator("[data-kb-cite-static]").is_visible()
    pdf = artifact(f"print-sister-cities-{lang}.pdf")
    page.pdf(path=str(pdf), format="A4")
    assert pdf.stat().st_size > 10_000


# --- accessibility --------------------------------------------------------------------------

def axe_violations(page) -> list[tuple[str, str, int]]:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `npm ci` (make test does)")
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
        .violations.map(v => [v.id, v.impact, v.nodes.map(n => n.target.join(' ')).slice(0, 3)])""")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["fa", "en"])
@pytest.mark.parametrize("path", PAGE_TYPES)
def test_axe_finds_no_serious_or_critical_problem(new_page, site_url, path, lang, scheme):
    page = new_page(color_scheme=scheme)
    page.goto(f"{site_url}/{LANGS[lang]}{path}")
    page.wait_for_load_state("networkidle")
    serious = [v for v in axe_violations(page) if v[1] in ("serious", "critical")]
    assert serious == []


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_axe_finds_no_serious_problem_in_the_cite_dialog(new_page, site_url, lang):
    page = new_page()
    page.goto(f"{site_url}/{LANGS[lang]}concepts/urban-diplomacy/")
    page.locator("#definitions [data-kb-cite-control]").click()
    page.locator("dialog[open]").wait_for()
    serious = [v for v in axe_violations(page) if v[1] in ("serious", "critical")]
    assert serious == []


OTHER_SCRIPT = {"fa": re.compile(r"[A-Za-z]{3,}"), "en": re.compile(r"[\u0600-\u06ff]{2,}")}


@pytest.mark.parametrize("lang", ["fa", "en"])
@pytest.mark.parametrize("path", ["concepts/urban-diplomacy/", "glossary/", "bibliography/", ""])
def test_passages_in_the_other_language_carry_their_own_lang(new_page, site_url, lang, path):
    """Every run of the other script in the content sits inside an element marked with its language."""
    page = new_page()
    page.goto(f"{site_url}/{LANGS[lang]}{path}")
    other = "en" if lang == "fa" else "fa"
    texts = page.evaluate("""([pattern]) => {
        const re = new RegExp(pattern);
        const walker = document.createTreeWalker(document.querySelector('.md-content article'), NodeFilter.SHOW_TEXT);
        const found = [];
        while (walker.nextNode()) {
            const node = walker.currentNode;
            const host = node.parentElement;
            if (!re.test(node.textContent) || host.closest('pre, code, script, .kb-url, .headerlink')) continue;
            found.push([node.textContent.trim().slice(0, 50), host.closest('[lang]').getAttribute('lang')]);
        }
        return found;
    }""", [OTHER_SCRIPT[lang].pattern])
    assert texts or path == "", "the page has passages in the other language"
    unmarked = [text for text, marked in texts if marked != other]
    assert unmarked == []

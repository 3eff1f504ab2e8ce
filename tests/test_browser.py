"""What readers do, in a real browser (Debian's Chromium via Playwright)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.support.browser import serve_directory

PAGES = ["", "concepts/", "glossary/", "bibliography/", "articles/", "articles/khosravi-et-al-synergy/",
         "about/", "concepts/urban-diplomacy/", "concepts/public-diplomacy/", "concepts/sister-cities/",
         "concepts/bilateral-city-diplomacy/", "concepts/multilateral-city-diplomacy/"]


@pytest.fixture(scope="module")
def site_url(repo_site):
    with serve_directory(repo_site) as base:
        yield base


@pytest.fixture
def page(browser):
    context = browser.new_context()
    tab = context.new_page()
    yield tab
    context.close()


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


def test_markup_in_a_record_shows_as_text_and_never_runs(browser, hostile_site):
    context = browser.new_context()
    tab = context.new_page()
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
            assert tab.locator("article img, article iframe, article script").count() == 0
    context.close()
    assert dialogs == []


def test_no_request_leaves_the_local_server(browser, site_url):
    context = browser.new_context()
    requested = []
    context.on("request", lambda request: requested.append(request.url))
    tab = context.new_page()
    for path in PAGES + [f"en/{p}" for p in PAGES]:
        tab.goto(f"{site_url}/{path}")
        tab.wait_for_load_state("networkidle")
    tab.keyboard.press("/")  # open search: loads the worker and the index
    tab.keyboard.type("diplomacy")
    tab.wait_for_timeout(500)
    context.close()
    hosts = {urlsplit(url).hostname for url in requested if not url.startswith(("data:", "blob:"))}
    assert hosts == {"127.0.0.1"}, sorted(u for u in requested if "127.0.0.1" not in u)
    assert any(url.endswith(".woff2") for url in requested), "the self-hosted font was not loaded"


def test_the_site_works_under_a_path_prefix(browser, repo_site, tmp_path):
    import shutil

    shutil.copytree(repo_site, tmp_path / "host" / "research" / "kb")
    context = browser.new_context()
    failed = []
    context.on("requestfailed", lambda request: failed.append(request.url))
    context.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    tab = context.new_page()
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
    context.close()
    assert failed == []

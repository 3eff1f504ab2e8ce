"""The offline copy (make offline): the whole site read from disk, search included."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.support.artifacts import artifact
from tests.support.search import open_search, search


@pytest.fixture(scope="module")
def offline_site(repo_site):
    """The offline copy `make site` built next to the published site (make offline, unpacked)."""
    return repo_site.parent / "build" / "offline" / "diplomacy-kb"


def test_the_offline_copy_is_read_from_disk_with_search_and_both_languages(new_page, offline_site):
    page = new_page()
    requests, errors = [], []
    page.context.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    home = (offline_site / "index.html").as_uri()
    page.goto(home)
    page.click("a[href$='urban-diplomacy.html']")
    assert page.url.endswith("/concepts/urban-diplomacy.html")
    page.click("[data-kb-counterpart]")
    assert page.url.endswith("/en/concepts/urban-diplomacy.html")
    page.locator("#definitions").wait_for()
    open_search(page, home)
    assert urlsplit(search(page, "sister cities")[0]).path.endswith("/concepts/sister-cities.html")
    assert search(page, "همافزایی")[0].endswith("/concepts/synergy-of-urban-and-public-diplomacy.html")
    page.screenshot(path=str(artifact("offline-search.png")))
    assert errors == []
    assert {urlsplit(url).scheme for url in requests} == {"file"}


def test_the_offline_copy_loads_nothing_from_other_hosts(offline_site):
    for html in offline_site.rglob("*.html"):
        text = html.read_text(encoding="utf-8")
        assert "unpkg.com" not in text and "googleapis" not in text, html

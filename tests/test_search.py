"""Search as a Persian or English reader uses it, in Debian's Chromium.

Each case types a query into the site's search box (in Material's header) and reads the result list. Expected
results come from the records (titles, aliases) or were chosen because the word occurs on
exactly those pages; each variant class is checked against its canonical spelling.
"""

from __future__ import annotations

import contextlib

import pytest

from tests.support.project import repo_build
from tests.support.search import QUERY, open_search, search

ZWNJ = "\u200c"


def concept_names() -> list[tuple[str, str]]:
    """(concept id, name) for every title and alias, in both languages."""
    kb = repo_build().kb
    names = []
    for concept in kb.concepts.values():
        for name in (concept.title.fa, concept.title.en, *concept.aliases.fa, *concept.aliases.en):
            names.append((concept.id, name))
    return names


@pytest.fixture(scope="module")
def searcher(browser, site_url):
    """One search page per language, reused by every query in this module (opened again if the
    browser had to be restarted, see tests/support/browser.Watchdog)."""
    tabs = {}

    def query(lang: str, text: str, how: str = "type") -> list[str]:
        if lang not in tabs or not browser.owns(tabs[lang]):
            tabs[lang] = browser.new_page()
            open_search(tabs[lang], f"{site_url}/{'en/' if lang == 'en' else ''}")
        results = search(tabs[lang], text, how)
        prefix = "/en/" if lang == "en" else "/"
        assert all(r.startswith(prefix) for r in results), f"{lang} search returned {results}"
        if lang == "fa":
            assert not [r for r in results if r.startswith("/en/")]
        # as site-relative pages, without the language prefix, duplicates removed
        return list(dict.fromkeys(r[len(prefix):] for r in results))

    query.tabs = tabs
    yield query
    for tab in tabs.values():
        with contextlib.suppress(Exception):  # the browser may have been restarted since
            tab.context.close()


def first(results: list[str]) -> str | None:
    return results[0] if results else None


@pytest.mark.parametrize("lang", ["fa", "en"])
@pytest.mark.parametrize("concept, name", concept_names())
def test_a_concept_title_or_alias_puts_that_concept_first(searcher, lang, concept, name):
    assert first(searcher(lang, name, "fill")) == f"concepts/{concept}/"


VARIANTS = [
    # (canonical query, variant, what differs)
    ("هم‌افزایی", "همافزایی", "no zero-width non-joiner"),
    ("هم‌افزایی", "هم افزایی", "a space instead of the non-joiner"),
    ("دیپلماسی شهری", "ديپلماسي شهري", "Arabic yeh"),
    ("شبکه‌های شهری", "شبكه‌هاي شهري", "Arabic kaf and yeh"),
    ("سیاست خارجی", "سیاست خارجى", "Arabic alef maksura"),
    ("شبکهٔ شهری", "شبکۀ شهری", "heh with hamza as one letter"),
    ("دیپلماسی شهری", "دیپلماسیِ شَهری", "kasra and fatha"),
    ("منافع ملی", "منافعِ مّلی", "kasra and shadda"),
    ("1397", "۱۳۹۷", "Persian digits"),
    ("1397", "١٣٩٧", "Arabic-Indic digits"),
    ("1392", "۱۳۹۲", "Persian digits, another year"),
]


@pytest.mark.parametrize("lang", ["fa", "en"])
@pytest.mark.parametrize("canonical, variant, difference", VARIANTS)
def test_every_spelling_variant_finds_what_the_canonical_spelling_finds(searcher, lang, canonical, variant,
                                                                        difference):
    expected = searcher(lang, canonical)
    assert expected, f"the canonical query {canonical!r} found nothing"
    assert searcher(lang, variant) == expected, difference


def test_a_canonical_query_finds_the_page_that_uses_the_word(searcher):
    assert first(searcher("fa", "هم‌افزایی")) == "concepts/synergy-of-urban-and-public-diplomacy/"
    assert "concepts/six-themes-of-city-diplomacy/" in searcher("fa", "1397")[:5]


@pytest.mark.parametrize("query, page", [
    ("موازات", "concepts/public-diplomacy/"),          # written only inside «…»
    ("بنابراین", "concepts/post-war-city-diplomacy/"),  # written only inside «…»
    ("صرف", "concepts/diplomacy/"),                     # the page writes it with a kasra: صِرف
])
def test_words_inside_persian_quotation_marks_or_with_diacritics_are_found(searcher, query, page):
    assert page in searcher("fa", query)


@pytest.mark.parametrize("lang, query, page", [
    ("fa", "sister cities", "concepts/sister-cities/"),
    ("fa", "public diplomacy", "concepts/public-diplomacy/"),
    ("en", "خواهرخواندگی", "concepts/sister-cities/"),
    ("en", "دیپلماسی شهری", "concepts/urban-diplomacy/"),
    ("en", "Van Overbeek", "bibliography/"),
    ("fa", "Van Overbeek", "bibliography/"),
])
def test_a_page_is_found_by_names_in_the_other_language(searcher, lang, query, page):
    assert first(searcher(lang, query)) == page


@pytest.mark.parametrize("how", ["paste", "insert"])
@pytest.mark.parametrize("lang", ["fa", "en"])
def test_a_query_that_arrives_without_key_events_is_searched(searcher, lang, how):
    assert first(searcher(lang, "هم افزایی", how)) == "concepts/synergy-of-urban-and-public-diplomacy/"
    assert first(searcher(lang, "Twinning", how)) == "concepts/sister-cities/"


@pytest.mark.parametrize("lang", ["fa", "en"])
@pytest.mark.parametrize("query", ["quantum", "فوتبال", "xyzzy", "۹۹۹۹۹", "کوانتوم"])
def test_a_query_about_nothing_here_finds_nothing(searcher, lang, query):
    assert searcher(lang, query) == []


@pytest.mark.parametrize("lang, direction", [("fa", "rtl"), ("en", "ltr")])
def test_results_are_shown_in_the_readers_language_and_direction(searcher, lang, direction):
    searcher(lang, "sister cities" if lang == "en" else "خواهرخواندگی")
    tab = searcher.tabs[lang]
    shown = tab.evaluate("""() => {
        const list = document.querySelector('.md-search-result__list');
        const title = list.querySelector('.md-search-result__item h1');
        return [getComputedStyle(list).direction, title.textContent.trim()];
    }""")
    assert shown == [direction, "خواهرخواندگی" if lang == "fa" else "Sister cities"]


def test_the_query_is_folded_in_the_search_box(searcher):
    searcher("fa", "دیپلماسي ١٣٩٧")
    value = searcher.tabs["fa"].input_value(QUERY)
    assert value == "دیپلماسی 1397"


def test_a_word_typed_without_its_non_joiner_gets_it_back(searcher):
    searcher("fa", "همافزایی")
    assert searcher.tabs["fa"].input_value(QUERY) == "هم\u200cافزایی"


def _fragment_cases(count: int = 24) -> list[tuple[str, set[str]]]:
    """Words spread over the whole sorted vocabulary of the Persian index, so that they fall in
    every one of the index's fragments (Pagefind splits its index by word), each with the pages
    that have a word beginning with it (as the search box matches), when there are few."""
    import re as regex

    from kb.render.words import Words, read_labels
    from kb.search.bundle import indexed
    from kb.search.documents import search_documents
    from kb.text.folding import BREAKS, fold
    from tests.support.project import REPO

    def bare(word):
        return fold(word).replace("\u200c", "").replace("\u200d", "").casefold()

    documents = search_documents(repo_build().kb, "fa", Words(read_labels(), "fa"),
                                 [(REPO / "docs" / "fa" / "about.md", "about.md")])
    page_words = {}
    for d in documents:
        text = indexed(" ".join([d.title, *d.names] + [f"{s.heading} {s.text}" for s in d.sections]))
        page_words[d.url] = {bare(w) for w in regex.split(f"[{BREAKS}]+", text) if w}
    vocabulary = sorted({w for words in page_words.values() for w in words
                         if len(w) >= 4 and regex.fullmatch(r"[\u0600-\u06ff]+", w)})
    cases = []
    for word in vocabulary[:: max(1, len(vocabulary) // count)]:
        pages = {url for url, words in page_words.items() if any(w.startswith(word) for w in words)}
        if len(pages) <= 10:
            cases.append((word, pages))
    return cases


@pytest.mark.parametrize("word, pages", _fragment_cases())
def test_a_word_from_any_part_of_the_split_index_finds_every_page_that_has_it(searcher, word, pages):
    assert set(searcher("fa", word, "fill")) == pages


# --- the search box as a reader works it -------------------------------------------------------


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_the_keyboard_opens_moves_through_and_closes_the_results(new_page, site_url, lang):
    page = new_page()
    open_search(page, f"{site_url}/{'en/' if lang == 'en' else ''}")  # "/" opens the box
    results = search(page, "sister cities" if lang == "en" else "خواهرخواندگی")
    assert results[0].endswith("concepts/sister-cities/")
    page.keyboard.press("ArrowDown")  # into the results
    focused = page.evaluate("document.activeElement.closest('.md-search-result__item') !== null")
    assert focused
    page.keyboard.press("ArrowUp")  # and back into the box
    assert page.evaluate("document.activeElement.matches('[data-kb-search-query]')")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # opens the result, which highlights the words searched
    page.wait_for_url("**/concepts/sister-cities/**")
    page.wait_for_selector("mark[data-kb-highlight]")
    marked = page.eval_on_selector_all("mark[data-kb-highlight]", "marks => marks.map(m => m.textContent)")
    words = ("sister", "cities") if lang == "en" else ("خواهرخواندگی",)
    assert marked and all(m.lower().startswith(words) for m in marked), marked[:5]
    open_search(page, page.url)
    search(page, "twinning" if lang == "en" else "دیپلماسی")
    page.keyboard.press("Escape")  # closes the search
    assert not page.evaluate("document.getElementById('__search').checked")


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_opening_the_box_asks_for_the_engines_files_at_once_and_each_once(new_page, site_url, lang):
    """Pagefind would ask for its entry file only once its script has run, and for its meta and
    wasm only once the entry has come; the box asks for all of them as it opens (the chain is most
    of the wait on a slow link), and Pagefind's requests take those responses over."""
    page = new_page()
    open_search(page, f"{site_url}/{'en/' if lang == 'en' else ''}concepts/urban-diplomacy/")
    assert search(page, "diplomacy" if lang == "en" else "دیپلماسی")
    fetched = page.evaluate("""() => performance.getEntriesByType('resource')
        .filter(e => e.name.includes('/search/pagefind/'))
        .map(e => [new URL(e.name).pathname.split('/').pop(), e.startTime, e.responseEnd])""")
    names = [name for name, _, _ in fetched]
    script = next(end for name, _, end in fetched if name == "pagefind.js")
    kinds = {"entry": lambda n: n == "pagefind-entry.json", "meta": lambda n: n.endswith(".pf_meta"),
             "wasm": lambda n: n.endswith(".pagefind")}
    early = [kind for kind, this in kinds.items()
             if [n for n in names if this(n)] == [next(n for n in names if this(n))]  # one request
             and next(start for n, start, _ in fetched if this(n)) < script]  # asked before the script had come
    assert early == ["entry", "meta", "wasm"], fetched
    assert not [n for n in names if "worker" in n]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["fa", "en"])
def test_axe_finds_no_serious_problem_with_results_open(new_page, site_url, lang, scheme):
    from tests.test_reading import axe_violations
    page = new_page(color_scheme=scheme)
    open_search(page, f"{site_url}/{'en/' if lang == 'en' else ''}concepts/urban-diplomacy/")
    assert search(page, "diplomacy" if lang == "en" else "دیپلماسی")
    serious = [v for v in axe_violations(page) if v[1] in ("serious", "critical")]
    assert serious == []


@pytest.mark.parametrize("lang", ["fa", "en"])
@pytest.mark.parametrize("width, height", [(1280, 900), (390, 844)])
def test_the_results_fit_the_screen_and_read_in_the_pages_direction(new_page, site_url, lang, width, height):
    """On a desktop and a phone the results sit inside the screen, each title and snippet aligned
    to the start of its language's reading direction (screenshots in test-artifacts/)."""
    from tests.support.artifacts import artifact
    page = new_page(viewport={"width": width, "height": height})
    open_search(page, f"{site_url}/{'en/' if lang == 'en' else ''}concepts/urban-diplomacy/")
    assert search(page, "public diplomacy" if lang == "en" else "دیپلماسی عمومی")
    boxes = page.evaluate("""() => [...document.querySelectorAll('.md-search-result__item')].slice(0, 5).map(item => {
        const r = item.getBoundingClientRect(), title = item.querySelector('h1');
        return [r.left, r.right, getComputedStyle(title).direction, getComputedStyle(title).textAlign];
    })""")
    page.screenshot(path=str(artifact(f"search-{lang}-{width}.png")))
    # nothing sticks out past the screen (in a right-to-left page that shifted, or blanked, the results)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    direction = "rtl" if lang == "fa" else "ltr"
    assert boxes and all(left >= 0 and right <= width + 1 for left, right, _, _ in boxes), boxes
    assert all(d == direction and align in ("start", "right" if lang == "fa" else "left") for _, _, d, align in boxes)

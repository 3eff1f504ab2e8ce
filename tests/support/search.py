"""Drive Material's search box like a reader: type, paste or insert a query and read the results."""

from __future__ import annotations


def open_search(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")  # Material's shortcut: open the search box
    page.wait_for_function("() => document.activeElement && "
                           "document.activeElement.matches('[data-md-component=\"search-query\"]')")
    # wait until the worker has built the index: the meta line then invites the reader to type
    page.wait_for_function(f"() => {_READY}")


def search(page, query: str, how: str = "type") -> list[str]:
    """Run a query; return the result pages as site paths ('/concepts/x/'), best first."""
    box = page.locator('[data-md-component="search-query"]')
    box.fill("")
    box.dispatch_event("keyup")
    page.wait_for_function(f"() => !document.querySelector('.md-search-result__list li') && {_READY}")
    if how == "type":
        box.press_sequentially(query, delay=5)
    elif how == "paste":  # clipboard paste: an input event, no key events
        page.evaluate("""(text) => {
            const box = document.querySelector('[data-md-component="search-query"]');
            const data = new DataTransfer(); data.setData('text/plain', text);
            box.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true}));
            box.setRangeText(text, box.selectionStart, box.selectionEnd, 'end');
            box.dispatchEvent(new InputEvent('input', {inputType: 'insertFromPaste', data: text, bubbles: true}));
        }""", query)
    elif how == "fill":  # the whole query at once, as an input event (a fast stand-in for typing)
        box.fill(query)
    elif how == "insert":  # a phone keyboard or IME committing text: no key events at all
        box.focus()
        page.keyboard.insert_text(query)
    else:
        raise ValueError(how)
    return read_results(page)


_META = "(document.querySelector('.md-search-result__meta') || {}).textContent"
_TRANSLATIONS = "JSON.parse(document.getElementById('__config').textContent).translations"
_READY = f"{_META} === {_TRANSLATIONS}['search.result.placeholder']"  # the box invites the reader to type

_SNAPSHOT = f"""() => {{
    const t = {_TRANSLATIONS};
    const meta = {_META} || '';
    // Material's own sentences for a finished search: none, one, or '# matching documents'
    const counted = new RegExp('^' + t['search.result.other'].replace('#', '\\\\d+') + '$');
    const answered = meta === t['search.result.none'] || meta === t['search.result.one'] || counted.test(meta);
    const links = [...document.querySelectorAll('.md-search-result__item > .md-search-result__link')]
        .map(a => new URL(a.getAttribute('href'), location.href).pathname);
    return [answered ? meta : '', links];
}}"""


def read_results(page, poll_ms: int = 40) -> list[str]:
    """The result pages once a search has answered and the list has stopped changing (results
    arrive from a worker). Fails if no answer comes: a search that never ran cannot pass."""
    previous = None
    for _ in range(100):
        page.wait_for_timeout(poll_ms)
        meta, links = page.evaluate(_SNAPSHOT)
        current = (meta, tuple(links))
        if current == previous and meta:
            return links
        previous = current
    raise AssertionError(f"the search did not answer; last seen: {previous}")

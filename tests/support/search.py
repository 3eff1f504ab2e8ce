"""Drive Material's search box like a reader: type, paste or insert a query and read the results."""

from __future__ import annotations


def open_search(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.keyboard.press("/")  # Material's shortcut: open the search box
    page.wait_for_function("() => document.activeElement && "
                           "document.activeElement.matches('[data-md-component=\"search-query\"]')")
    # wait until the worker has built the index
    page.wait_for_function("() => document.querySelector('.md-search-result__meta') !== null")


def search(page, query: str, how: str = "type") -> list[str]:
    """Run a query; return the result pages as site paths ('/concepts/x/'), best first."""
    box = page.locator('[data-md-component="search-query"]')
    box.fill("")
    box.dispatch_event("keyup")
    page.wait_for_function("() => !document.querySelector('.md-search-result__list li')")
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


_SNAPSHOT = """() => {
    const meta = document.querySelector('.md-search-result__meta');
    const links = [...document.querySelectorAll('.md-search-result__item > .md-search-result__link')]
        .map(a => new URL(a.getAttribute('href'), location.href).pathname);
    return [meta ? meta.textContent : '', links];
}"""


def read_results(page, poll_ms: int = 40) -> list[str]:
    """The result pages once the list has stopped changing (results arrive from a worker)."""
    previous = None
    for _ in range(100):
        page.wait_for_timeout(poll_ms)
        meta, links = page.evaluate(_SNAPSHOT)
        current = (meta, tuple(links))
        if current == previous and meta.strip():
            return links
        previous = current
    return list(previous[1]) if previous else []

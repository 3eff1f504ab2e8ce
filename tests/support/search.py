"""Drive the site's search box like a reader: type, paste or insert a query and read the results."""

from __future__ import annotations

QUERY = "[data-kb-search-query]"
_STATE = "document.querySelector('[data-kb-search-result]').dataset.kbSearchState"


def open_search(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    # The box is offered once the search configuration has arrived; then "/" opens it.
    page.wait_for_function(f"() => {_STATE} === 'ready'")
    page.keyboard.press("/")
    page.wait_for_function(f"() => document.activeElement && document.activeElement.matches('{QUERY}')")


def search(page, query: str, how: str = "type") -> list[str]:
    """Run a query; return the result pages as site paths ('/concepts/x/'), best first."""
    box = page.locator(QUERY)
    box.fill("")
    page.wait_for_function(f"() => !document.querySelector('.md-search-result__list li') && {_STATE} === 'ready'")
    if how == "type":
        box.press_sequentially(query, delay=5)
    elif how == "paste":  # clipboard paste: an input event, no key events
        page.evaluate("""(text) => {
            const box = document.querySelector('[data-kb-search-query]');
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


_SNAPSHOT = f"""() => {{
    const links = [...document.querySelectorAll('.md-search-result__item > .md-search-result__link')]
        .map(a => new URL(a.getAttribute('href'), location.href).pathname);
    return [{_STATE}, document.querySelector('{QUERY}').value, links];
}}"""


def read_results(page, poll_ms: int = 40) -> list[str]:
    """The result pages once the search has answered the query in the box and the list has
    stopped changing. Fails if no answer comes: a search that never ran cannot pass."""
    previous = None
    for _ in range(150):
        page.wait_for_timeout(poll_ms)
        state, value, links = page.evaluate(_SNAPSHOT)
        current = (state, value, tuple(links))
        if current == previous and state == "done":
            return links
        previous = current
    raise AssertionError(f"the search did not answer; last seen: {previous}")

"""The search figures: a reader opens a concept page and starts typing a query as soon as it has
loaded. How long until the first result shows, and how many bytes went over the wire for it.

One run, in a fresh browser context (an empty cache):
1. open the page (through bench/server.py, on localhost or on an emulated link set with the
   DevTools protocol before navigating: 60 ms latency, 9 Mbit/s each way, cache disabled);
2. at the page's load event, press "/" (if the box is not offered yet, press again every 20 ms
   until it has focus: the time that takes is reported as the wait for the box);
3. type the query with the keyboard, 5 ms between keys;
4. stop at the first `.md-search-result__item` in the page (a MutationObserver stamps it).
The time to the first result runs from the first keystroke (the clock read just before it is sent)
to that stamp; both are wall-clock milliseconds. It is also given from the first press of "/" and
from the navigation: the offline copy builds its MiniSearch index when the box takes the focus,
inside the handling of "/", before the first keystroke. The bytes are those the server sent for requests
that arrived after the load event and before the first result, gzipped as a host would send them.

The offline copy is opened from file:// (no server, nothing to count): the same steps, where the
time includes MiniSearch indexing every document in the page.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bench.server import SiteServer

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
QUERIES = {"fa": "دیپلماسی", "en": "diplomacy"}
KEY_DELAY_MS = 5
RUNS = 3
"""Each figure is the median of this many runs (after one warm-up run that is not counted)."""
LINKS = {
    "localhost": None,
    "throttled": {"offline": False, "latency": 60, "downloadThroughput": 1_125_000, "uploadThroughput": 1_125_000},
}
TIMEOUT_MS = 300_000

_INIT = """
(() => {
  const bench = window.__bench = {load: null, first: null, firstValue: null, firstState: null, count: 0};
  addEventListener('load', () => {
    bench.load = Date.now();
    const check = () => {
      if (bench.first !== null) return;
      const item = document.querySelector('.md-search-result__item');
      if (!item) return;
      bench.first = Date.now();
      const box = document.querySelector('[data-kb-search-query], .md-search__input');
      const result = document.querySelector('[data-kb-search-result]');
      bench.firstValue = box ? box.value : null;
      bench.firstState = result ? result.dataset.kbSearchState : null;
      bench.count = document.querySelectorAll('.md-search-result__item').length;
    };
    new MutationObserver(check).observe(document.body, {childList: true, subtree: true});
  });
})();
"""
_FOCUSED = "() => !!document.activeElement && document.activeElement.matches('[data-kb-search-query], .md-search__input')"


def kind(path: str) -> str:
    """What a fetched file is, for the report."""
    name = path.rsplit("/", 1)[-1]
    if "/search/pagefind/" in path:
        if name == "pagefind.js" or name.startswith("wasm."):
            return "engine"
        if name.endswith(".pf_fragment"):
            return "fragments"
        return "index"  # pagefind-entry.json, .pf_meta, .pf_index, .pf_filter
    if "/search/lexicon/" in path:
        return "lexicon"
    if path.endswith("/search/config.json"):
        return "config"
    if path.endswith("/search/search_index.json"):
        return "index"
    if "/assets/javascripts/workers/" in path or "/assets/javascripts/lunr/" in path:
        return "engine"
    if path.endswith((".html", "/")):
        return "page"
    return "other"


SEARCH_KINDS = ("config", "lexicon", "engine", "index", "fragments")


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)


def one_run(browser, url: str, lang: str, link: dict | None, server: SiteServer | None) -> dict:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(_INIT)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        if link:
            cdp.send("Network.emulateNetworkConditions", link)
        if server:
            server.clear()
        opened = time.time()
        response = page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
        if response is not None and not response.ok:
            raise RuntimeError(f"{url}: HTTP {response.status}")
        bench = page.evaluate("window.__bench")
        presses, pressed = 0, time.time()
        while True:
            page.keyboard.press("/")
            presses += 1
            if page.evaluate(_FOCUSED):
                break
            if presses > 3000:
                raise RuntimeError(f"{url}: the search box never took the focus")
            page.wait_for_timeout(20)
        focused = time.time()
        typed = time.time()
        page.keyboard.type(QUERIES[lang], delay=KEY_DELAY_MS)
        typed_end = time.time()
        page.wait_for_function("() => window.__bench.first !== null", timeout=TIMEOUT_MS, polling=20)
        bench = page.evaluate("window.__bench")
        if errors:
            raise RuntimeError(f"{url}: errors in the page: {errors}")
        result = {
            "load_ms": bench["load"] - opened * 1000,
            "box_wait_ms": max(0.0, focused * 1000 - bench["load"]),
            "presses": presses,
            "first_result_ms": bench["first"] - typed * 1000,
            "from_slash_ms": bench["first"] - pressed * 1000,
            "from_open_ms": bench["first"] - opened * 1000,
            "typing_ms": (typed_end - typed) * 1000,
            "first_value": bench["firstValue"], "first_state": bench["firstState"], "items": bench["count"],
        }
        if server:
            time.sleep(0.05)  # the last responses' log lines
            hits = server.hits()
            load, first = bench["load"] / 1000, bench["first"] / 1000
            window = [h for h in hits if load <= h.start <= first]
            result["bytes"] = sum(h.bytes for h in window)
            result["files"] = _by_kind(window)
            # Everything search fetched from the navigation to the first result, load event or not
            # (Material's search fetches its index as the page starts, before the load event).
            searched = [h for h in hits if h.start <= first and kind(h.path) in SEARCH_KINDS]
            result["search_bytes_all"] = sum(h.bytes for h in searched)
            result["search_files_all"] = _by_kind(searched)
            result["timeline"] = _timeline(hits, typed, typed_end, bench["first"] / 1000)
            result["paths"] = [(round(h.start - load, 3), round(h.end - load, 3), h.path, h.bytes) for h in hits]
            result["typed_at"] = round(typed - load, 3)
        return result
    finally:
        context.close()


def _timeline(hits, typed: float, typed_end: float, first: float) -> dict:
    """When each step of the first search began, in ms from the first keystroke (the requests'
    arrival at the server)."""
    def at(predicate, last=False):
        times = [h.start for h in hits if typed - 5 <= h.start <= first and predicate(h.path)]
        return round(((max if last else min)(times) - typed) * 1000) if times else None
    return {"typed": round((typed_end - typed) * 1000),
            "engine": at(lambda p: p.endswith("/pagefind.js")),
            "entry": at(lambda p: p.endswith("/pagefind-entry.json")),
            "wasm": at(lambda p: p.endswith(".pagefind")),
            "lexicon": at(lambda p: "/search/lexicon/" in p),
            "index": at(lambda p: p.endswith(".pf_index")),
            "fragments": at(lambda p: p.endswith(".pf_fragment")),
            "fragments_last": at(lambda p: p.endswith(".pf_fragment"), last=True),
            "result": round((first - typed) * 1000)}


def _by_kind(hits) -> dict:
    out: dict[str, list] = {}
    for h in hits:
        entry = out.setdefault(kind(h.path), [0, 0])
        entry[0] += 1
        entry[1] += h.bytes
    return {k: {"files": v[0], "bytes": v[1]} for k, v in sorted(out.items())}


def summarise(runs: list[dict]) -> dict:
    """The median run (by time to the first result), with the spread of the runs."""
    ordered = sorted(runs, key=lambda r: r["first_result_ms"])
    median = dict(ordered[len(ordered) // 2])
    median["first_result_ms_runs"] = [round(r["first_result_ms"]) for r in runs]
    median["first_result_ms_min"] = ordered[0]["first_result_ms"]
    if "bytes" in median:
        median["bytes_runs"] = [r["bytes"] for r in runs]
        median["bytes_median"] = statistics.median(r["bytes"] for r in runs)
    median["load_ms_median"] = statistics.median(r["load_ms"] for r in runs)
    median["from_slash_ms_median"] = statistics.median(r["from_slash_ms"] for r in runs)
    median["from_slash_ms_runs"] = [round(r["from_slash_ms"]) for r in runs]
    median["from_open_ms_median"] = statistics.median(r["from_open_ms"] for r in runs)
    median["box_wait_ms_median"] = statistics.median(r["box_wait_ms"] for r in runs)
    return median


def measure_site(browser, site: Path, page: str, engines_note: str = "") -> dict:
    """Both languages, both links, on one built site: {lang: {link: summary}}."""
    out: dict = {}
    with SiteServer(site) as server:
        for lang in ("fa", "en"):
            prefix = "" if lang == "fa" else "en/"
            url = f"{server.url}/{prefix}{page}"
            out[lang] = {}
            try:
                # A warm-up run, not counted: the disk cache and the server's gzip cache are warm after it.
                one_run(browser, url, lang, None, server)
            except Exception as error:  # noqa: BLE001 - reported, and the benchmark goes on
                out[lang] = {name: {"error": f"warm-up: {error}"[:500]} for name in LINKS}
                print(f"    {engines_note} {lang}: failed: {error}", flush=True)
                continue
            for link_name, link in LINKS.items():
                try:
                    runs = [one_run(browser, url, lang, link, server) for _ in range(RUNS)]
                except Exception as error:  # noqa: BLE001
                    out[lang][link_name] = {"error": str(error)[:500]}
                    print(f"    {engines_note} {lang} {link_name}: failed: {error}", flush=True)
                    continue
                out[lang][link_name] = summarise(runs)
                print(f"    {engines_note} {lang} {link_name}: "
                      f"{out[lang][link_name]['first_result_ms']:.0f} ms {out[lang][link_name]['first_result_ms_runs']}, "
                      f"{out[lang][link_name]['bytes'] / 1e3:.1f} KB", flush=True)
    return out


def measure_offline(browser, offline_site: Path, page_html: str) -> dict:
    out = {}
    for lang in ("fa", "en"):
        prefix = "" if lang == "fa" else "en/"
        url = (offline_site / f"{prefix}{page_html}").resolve().as_uri()
        try:
            one_run(browser, url, lang, None, None)
            runs = [one_run(browser, url, lang, None, None) for _ in range(RUNS)]
        except Exception as error:  # noqa: BLE001
            out[lang] = {"error": str(error)[:500]}
            print(f"    offline {lang}: failed: {error}", flush=True)
            continue
        out[lang] = summarise(runs)
        print(f"    offline {lang}: {out[lang]['first_result_ms']:.0f} ms {out[lang]['first_result_ms_runs']}, "
              f"load {out[lang]['load_ms_median']:.0f} ms", flush=True)
    return out


_ENGINE_TIME = """async ([query, runs]) => {
  const root = new URL(JSON.parse(document.getElementById('__config').textContent).base.replace(/\\/?$/, '/'), location.href);
  const settings = await (await fetch(new URL('search/config.json', root))).json();
  const pagefind = await import(new URL(settings.pagefind.script, root).href);
  await pagefind.options({baseUrl: root.pathname, noWorker: true, metaCacheTag: settings.pagefind.tag,
                          ranking: {metaWeights: {names: settings.names_weight}}});
  await pagefind.preload(query);  // the index chunks are in: what is timed is the search itself
  const times = [];
  let found = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    found = (await pagefind.search(query)).results.length;
    times.push(performance.now() - start);
  }
  return {times, found};
}"""


def engine_time(browser, site: Path, page: str, runs: int = 5) -> dict:
    """Pagefind's own search of the query, once its index chunks are loaded, on the main thread as the
    site runs it: the first search (the wasm code cold) and the median of the next ones, per language.
    This is the part of the time to the first result that no request adds to, and that grows with N."""
    out = {}
    with SiteServer(site) as server:
        for lang in ("fa", "en"):
            context = browser.new_context()
            try:
                tab = context.new_page()
                tab.goto(f"{server.url}/{'' if lang == 'fa' else 'en/'}{page}", wait_until="load", timeout=TIMEOUT_MS)
                got = tab.evaluate(_ENGINE_TIME, [QUERIES[lang], runs])
                out[lang] = {"first_ms": got["times"][0], "again_ms": statistics.median(got["times"][1:]),
                             "found": got["found"]}
            except Exception as error:  # noqa: BLE001 - reported, and the benchmark goes on
                out[lang] = {"error": str(error)[:500]}
            finally:
                context.close()
    return out

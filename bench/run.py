#!/usr/bin/env python3
"""Scale benchmark: generate N synthetic bilingual concepts, build them, search them, and report.

    python bench/run.py                      # N = 100, 1000, 3000; writes bench/results.md and .json
    python bench/run.py --sizes 100          # a quick check at one size
    python bench/run.py --sizes 100 --quick  # builds timed once, no one-record changes
    python bench/run.py --from-json          # write results.md again from results.json
    python bench/run.py --out /tmp/r.md      # elsewhere

For each N it measures, each command in a fresh child process (wall time, CPU time, peak RSS;
full builds are timed three times and the fastest run counts):
- build_kb.py from an empty docs/ (it runs Pagefind once per language), next to an I/O floor
  measured in the same run: read every record and write every output file, with no processing;
- `mkdocs build --strict` of the whole bilingual site (the hook runs build_kb first: nothing to do);
- libyaml parsing every record and nothing else, the least a build that reads YAML must spend,
  and starting Python with build_kb's code and libraries, the least any run of it spends;
- build_kb.py again with nothing changed (it stops after reading the files and checking docs/);
- the site: size, HTML per page (concept pages, and all pages), each language's search files on
  disk (Pagefind's index and engine, the lexicon: files, raw and served bytes), and the gzipped
  plain text of that language's pages for comparison;
- the same pages built with Material's search plugin (bench/mkdocs.material-search.yml, the peer)
  and the offline copy (as `make offline` builds it), and their search files;
- search in the browser (bench/search.py): a reader opens a concept page and types a query at the
  load event; the time from the first keystroke to the first result and the bytes fetched between
  the load event and it (counted by bench/server.py), on localhost and on an emulated 60 ms,
  9 Mbit/s link, for the site's search and Material's, in both languages; and the offline copy's
  search from file://;
and at N = 1000:
- build_kb after changing one record: time and files rewritten (every page is rendered again);
- live reload: `mkdocs serve` (as `make serve` runs it), change one record, time until the
  changed page is served, against a full `mkdocs build`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.generate import generate  # noqa: E402
from bench.search import QUERIES  # noqa: E402
from bench.server import gzip_gain, served_bytes  # noqa: E402
from tests.support.project import make_project  # noqa: E402

MEASURE = ("import json, resource, subprocess, sys, time\n"
           "start = time.perf_counter()\n"
           "code = subprocess.run(sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.DEVNULL).returncode\n"
           "wall = time.perf_counter() - start\n"
           "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
           "print(json.dumps({'code': code, 'wall': wall, 'cpu': usage.ru_utime + usage.ru_stime,"
           " 'rss_mb': usage.ru_maxrss / 1024}))\n")


def _env() -> dict:
    """No .pyc files: every measured run compiles the code afresh, as the first run on a clone does."""
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONDONTWRITEBYTECODE="1")


def measure(cwd: Path, *command: str) -> dict:
    """Run a command in a fresh child; its wall time, CPU time and peak memory."""
    out = subprocess.run([sys.executable, "-c", MEASURE, str(cwd), *command], env=_env(),
                         capture_output=True, text=True, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise SystemExit(f"failed in {cwd}: {' '.join(command)}\n{out.stderr}")
    return result


def fastest(runs: int, cwd: Path, *command: str, before=None) -> dict:
    """The fastest of a few runs (calling before() ahead of each): a shared machine only ever
    adds time, and a single run of a minute varied by 10% between two benchmarks."""
    results = []
    for _ in range(runs):
        if before:
            before()
        results.append(measure(cwd, *command))
    return min(results, key=lambda r: r["wall"])


def io_floor(project: Path, runs: int = 3) -> float:
    """Read every record and write every output file build_kb wrote, with no processing.

    The median of a few runs: one run of a tenth of a second is at the mercy of the disk cache.
    """
    outputs = {p.relative_to(project / "docs"): p.read_bytes()
               for p in sorted((project / "docs").rglob("*")) if p.is_file()}
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as scratch:
            os.sync()  # as before each build: no earlier writes left to wait on
            start = time.perf_counter()
            for record in sorted((project / "concepts").rglob("*.yaml")):
                record.read_bytes()
            for relative, data in outputs.items():
                target = Path(scratch) / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def parse_floor(project: Path, runs: int = 3) -> float:
    """Parse every record with libyaml and nothing else (no line numbers, no checks): the least
    any build that reads YAML must spend, on top of the I/O floor. The lowest of a few runs."""
    import yaml

    texts = [p.read_bytes() for p in sorted((project / "concepts").rglob("*.yaml"))]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for text in texts:
            yaml.load(text, Loader=yaml.CSafeLoader)
        times.append(time.perf_counter() - start)
    return min(times)


class _Text(HTMLParser):
    """The readable text of a page's article (what a reader reads; what search should index)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth, self.skip, self.parts = 0, 0, []

    def handle_starttag(self, tag, attrs):
        if tag == "article":
            self.depth += 1
        elif tag in ("script", "style", "svg"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag == "article":
            self.depth -= 1
        elif tag in ("script", "style", "svg"):
            self.skip -= 1

    def handle_data(self, data):
        if self.depth and not self.skip:
            self.parts.append(data)


def _text_gz(site: Path, pages: list[Path], lang: str) -> float:
    """The gzipped plain text of one language's pages (what a reader reads), in MB."""
    text = []
    for page in pages:
        in_lang = page.relative_to(site).as_posix().startswith("en/") == (lang == "en")
        if in_lang and page.name == "index.html":
            parser = _Text()
            parser.feed(page.read_text(encoding="utf-8"))
            text.append(" ".join(" ".join(parser.parts).split()))
    return len(gzip.compress("\n".join(text).encode("utf-8"), 6)) / 1e6


def _files(paths) -> dict:
    """Count, bytes on disk and bytes a host with gzip on sends (bench/server.py) of these files."""
    paths = [p for p in paths if p.is_file()]
    return {"files": len(paths), "bytes": sum(p.stat().st_size for p in paths),
            "served": sum(served_bytes(p) for p in paths)}


def search_figures(root: Path) -> dict:
    """One language's search files on disk (root is its site folder): Pagefind's index (the
    index chunks, fragments, meta and filters), its engine (scripts and wasm), the lexicon and
    the configuration."""
    pagefind = root / "search" / "pagefind"
    every = sorted(p for p in pagefind.rglob("*") if p.is_file())
    engine = [p for p in every if p.parent == pagefind and (p.name == "pagefind.js" or p.name.startswith("wasm."))]
    index = [p for p in every if p not in engine]
    fragments = [p for p in index if p.suffix == ".pf_fragment"]
    lexicon = sorted((root / "search" / "lexicon").glob("*.json"))
    packed = [p for p in every if p.suffix.startswith(".pf_") or p.suffix == ".pagefind"]
    return {"pagefind": _files(every), "engine": _files(engine), "index": _files(index),
            "fragments": _files(fragments), "lexicon": _files(lexicon),
            "config": _files([root / "search" / "config.json"]),
            "pf_gzip_gain": gzip_gain(packed)}


def site_figures(site: Path) -> dict:
    pages = sorted(site.rglob("*.html"))
    concept = [p.stat().st_size for p in pages if "/concepts/concept-" in p.as_posix()]
    figures = {
        "site_mb": sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 1e6,
        "pages": len(pages),
        "concept_html_kb": sum(concept) / len(concept) / 1e3,
        "concept_html_max_kb": max(concept) / 1e3,
        "html_max_kb": max(p.stat().st_size for p in pages) / 1e3,
        "html_max_page": max(pages, key=lambda p: p.stat().st_size).relative_to(site).as_posix(),
    }
    for lang, root in (("fa", site), ("en", site / "en")):
        figures[f"{lang}_search"] = search_figures(root)
        figures[f"{lang}_text_gz_mb"] = _text_gz(site, pages, lang)
    return figures


def peer_figures(site: Path) -> dict:
    """The same pages with Material's search: its index (search/search_index.json) and its
    engine (the search worker, which loads lunr), per language."""
    figures = {"site_mb": sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 1e6}
    for lang, root in (("fa", site), ("en", site / "en")):
        figures[f"{lang}_index"] = _files([root / "search" / "search_index.json"])
        figures[f"{lang}_engine"] = _files(sorted((root / "assets" / "javascripts" / "workers").glob("search.*.js")))
    return figures


def offline_figures(site: Path) -> dict:
    """The offline copy's search: search/offline.js (every document, the lexicon, the
    configuration) and MiniSearch, per language."""
    figures = {"site_mb": sum(f.stat().st_size for f in site.rglob("*") if f.is_file()) / 1e6}
    for lang, root in (("fa", site), ("en", site / "en")):
        figures[f"{lang}_data"] = _files([root / "search" / "offline.js"])
        figures[f"{lang}_engine"] = _files(sorted((root / "assets" / "javascripts" / "vendor" / "minisearch").glob("*.js")))
    return figures


def change_one_record(project: Path, marker: str) -> Path:
    record = project / "concepts" / "concept-00500.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(re.sub(r"(?m)^  en: Concept 500 .*$", f"  en: Concept 500 {marker}", text, count=1),
                      encoding="utf-8")
    return record


def change_one_definition(project: Path) -> None:
    """Edit the first definition of one record: only its own pages (and the export) show it."""
    record = project / "concepts" / "concept-00700.yaml"
    text = record.read_text(encoding="utf-8")
    edited = text.replace("definitions:\n- text:\n    fa: ", "definitions:\n- text:\n    fa: ویراسته ", 1)
    if edited == text:
        raise SystemExit(f"{record}: no first definition found to edit (has bench/generate.py changed?)")
    record.write_text(edited, encoding="utf-8")


def live_reload(project: Path) -> tuple[float, float]:
    """Seconds from changing one record to the changed page being served; initial build seconds."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = _env()
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}", *SERVE_OPTIONS]
    server = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/en/concepts/concept-00500/"
    try:
        start = time.perf_counter()
        _wait_for(url, "Concept 500", 1800)
        initial = time.perf_counter() - start
        time.sleep(3)  # let the watcher settle
        marker = f"changed while serving {time.time_ns()}"
        start = time.perf_counter()
        change_one_record(project, marker)
        _wait_for(url, marker, 1800)
        return time.perf_counter() - start, initial
    finally:
        server.terminate()
        server.wait(timeout=30)


RUNS = 3
"""Full builds (build_kb.py from empty, mkdocs build) are timed this many times; the fastest counts."""

SERVE_OPTIONS = ["--dirty"]  # what `make serve` passes to `mkdocs serve` besides the address


def _wait_for(url: str, text: str, seconds: float) -> None:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if text in response.read().decode("utf-8"):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"timed out waiting for {text!r} at {url}")


def snapshot(docs: Path) -> dict:
    return {p: p.stat().st_mtime_ns for p in docs.rglob("*") if p.is_file()}


def changes(docs: Path, before: dict) -> dict:
    """What a build wrote and removed in docs/ since the snapshot: pages (Markdown), search files
    (search/ of each language) and the rest."""
    after = snapshot(docs)
    written = sorted(p.relative_to(docs).as_posix() for p, stamp in after.items() if before.get(p) != stamp)
    removed = sorted(p.relative_to(docs).as_posix() for p in before if p not in after)
    search = lambda path: "/search/" in f"/{path}"  # noqa: E731
    return {"pages": [p for p in written if p.endswith(".md")],
            "search_written": sum(1 for p in written if search(p)),
            "search_removed": sum(1 for p in removed if search(p)),
            "other": [p for p in written if not p.endswith(".md") and not search(p)],
            "other_removed": [p for p in removed if not search(p)]}


SEARCH_PAGE = "concepts/concept-00050/"
"""The concept page the reader opens before searching (the offline copy: concepts/concept-00050.html)."""
PEER_CONFIG = Path("bench") / "mkdocs.material-search.yml"
PEER_SITE = Path("build") / "bench" / "site-material-search"
OFFLINE_DOCS, OFFLINE_SITE = Path("build") / "offline" / "docs", Path("build") / "offline" / "diplomacy-kb"


def search_bench(project: Path, result: dict) -> None:
    """The search figures of the three builds of the same pages: the site's own search
    (Pagefind), Material's (the peer) and the offline copy's (MiniSearch, from file://)."""
    from playwright.sync_api import sync_playwright

    from bench import search

    with sync_playwright() as playwright:
        browser = search.launch(playwright)
        try:
            result["chromium"] = browser.version
            result["search_load_before"] = os.getloadavg()  # the machine is shared: how busy it was
            result["search"] = {
                "pagefind": search.measure_site(browser, project / "site", SEARCH_PAGE, "site's search"),
                "pagefind_engine": search.engine_time(browser, project / "site", SEARCH_PAGE),
                "material": search.measure_site(browser, project / PEER_SITE, SEARCH_PAGE, "Material's search"),
                "offline": search.measure_offline(browser, project / OFFLINE_SITE,
                                                  SEARCH_PAGE.rstrip("/") + ".html"),
            }
            result["search_load_after"] = os.getloadavg()
        finally:
            browser.close()


def bench(n: int, workdir: Path, quick: bool = False) -> dict:
    print(f"N = {n}: generating", flush=True)
    source = workdir / f"records-{n}"
    generate(source, n)
    project = make_project(workdir / f"project-{n}", records=source / "concepts", settings=source / "kb.yml")
    (project / "bench").mkdir(exist_ok=True)
    for config in ("mkdocs.material-search.yml", "mkdocs.en.material-search.yml"):
        shutil.copy2(REPO / "bench" / config, project / "bench" / config)
    result = {"n": n}
    print(f"N = {n}: build_kb", flush=True)
    def from_empty():
        subprocess.run([sys.executable, "build_kb.py", "--clean"], cwd=project, env=_env(), check=True,
                       stdout=subprocess.DEVNULL)
        shutil.rmtree(project / ".kb-cache", ignore_errors=True)
        os.sync()  # the last run's writes are not left for this one to wait on

    runs = 1 if quick else RUNS
    result["build_kb"] = fastest(runs, project, sys.executable, "build_kb.py", "--quiet", before=from_empty)
    result["build_kb_warm"] = measure(project, sys.executable, "build_kb.py", "--quiet")  # nothing changed
    result["floor"] = min(io_floor(project) for _ in range(3))
    result["parse"] = parse_floor(project)
    result["start"] = fastest(runs, project, sys.executable, "-c", "import kb.pipeline")
    print(f"N = {n}: mkdocs build", flush=True)
    result["mkdocs"] = fastest(runs, project, sys.executable, "-m", "mkdocs", "build", "--strict", "--clean")
    result.update(site_figures(project / "site"))
    print(f"N = {n}: the same pages with Material's search", flush=True)
    result["peer_build"] = measure(project, sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
                                   "-f", str(PEER_CONFIG), "-d", str(project / PEER_SITE))  # -d is resolved against the config's folder
    result["peer"] = peer_figures(project / PEER_SITE)
    print(f"N = {n}: the offline copy", flush=True)
    result["offline_build_kb"] = measure(project, sys.executable, "build_kb.py", "--quiet", "--urls", "file",
                                         "--docs", str(OFFLINE_DOCS), "--hand-written", "docs")
    result["offline_build"] = measure(project, sys.executable, "-m", "mkdocs", "build", "--strict",
                                      "-f", "mkdocs.offline.yml", "-d", str(OFFLINE_SITE))
    result["offline"] = offline_figures(project / OFFLINE_SITE)
    print(f"N = {n}: search in the browser", flush=True)
    search_bench(project, result)
    if n == 1000 and not quick:
        docs = project / "docs"
        print(f"N = {n}: one record changed", flush=True)
        before = snapshot(docs)
        change_one_record(project, "changed once")
        result["rebuild"] = measure(project, sys.executable, "build_kb.py", "--quiet")
        result["rebuild_changes"] = changes(docs, before)
        print(f"N = {n}: one definition changed", flush=True)
        before = snapshot(docs)
        change_one_definition(project)
        result["rebuild_text"] = measure(project, sys.executable, "build_kb.py", "--quiet")
        result["rebuild_text_changes"] = changes(docs, before)
        print(f"N = {n}: live reload", flush=True)
        result["reload"], result["serve_initial"] = live_reload(project)
    return result


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        pass
    import markdown
    import mkdocs
    import yaml
    from material import __version__ as material
    return (f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}, MkDocs {mkdocs.__version__}, Material {material}, "
            f"PyYAML {yaml.__version__} (libyaml: {yaml.__with_libyaml__}), Markdown {markdown.__version__}")


OLD_FIGURES = {"date": "2026-11-26", "rebuild": 1.74, "rebuild_text": 1.28, "reload": 4.9, "mkdocs_1000": 23.7}
"""N = 1,000 in the previous benchmark (with per-page fingerprints and the record cache; Material's search)."""
ENGINES = (("pagefind", "site's search (Pagefind)"), ("material", "Material's search (lunr), the peer"))
LANG_NAMES = (("fa", "Persian"), ("en", "English"))
TARGET_BYTES = 500_000
TARGET_MS = 1000


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _kb(value: float) -> str:
    return f"{value / 1e3:,.0f} KB" if value < 1e6 else f"{value / 1e6:,.2f} MB"


def _files_text(files: dict) -> str:
    return ", ".join(f"{k} {v['files']} ({_kb(v['bytes'])})" for k, v in files.items())


def _breakdown(timeline: dict) -> str:
    """Where a first search's time went, from its timeline (ms from the first keystroke)."""
    t = timeline
    if None in (t.get("entry"), t.get("index"), t.get("fragments"), t.get("fragments_last")):
        return ""
    return (f"typing the query {t['typed']} ms; Pagefind's script, entry, meta and wasm asked for together as the "
            f"box opened (the entry at {t['entry']} ms); index chunk at {t['index']} ms (once Pagefind has started "
            f"and the query has two letters); index chunk to the first fragment {t['fragments'] - t['index']} ms "
            f"(the chunk's transfer and Pagefind's search); the fragments {t['fragments_last'] - t['fragments']} ms; "
            f"the first fragment to the result shown {t['result'] - t['fragments']} ms")


def targets(results: list[dict]) -> list[str]:
    """The issue's targets for the site's search, as met or not, and what dominates."""
    by_n = {r["n"]: r for r in results if "search" in r}
    if 3000 not in by_n:
        return ["The targets are stated at N = 3,000, which this run did not measure."]
    lines = []
    big = by_n[3000]["search"]["pagefind"]
    small = by_n.get(100, {}).get("search", {}).get("pagefind")
    for lang, name in LANG_NAMES:
        if "error" in big[lang]["localhost"] or "error" in big[lang]["throttled"]:
            lines.append(f"- {name}: the N = 3,000 runs failed (see results.json).")
            continue
        got = big[lang]["localhost"]["bytes_median"]
        verdict = "met" if got <= TARGET_BYTES else f"**not met**, by {_kb(got - TARGET_BYTES)}"
        kinds = big[lang]["localhost"]["files"]
        share = ", ".join(f"{k} {_kb(v['bytes'])}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]["bytes"]))
        lines.append(f"- {name}: bytes between the load event and the first result at N = 3,000: {_kb(got)} "
                     f"({share}); target at most 0.5 MB: {verdict}.")
        if small and "error" not in small[lang]["localhost"]:
            ratio = got / small[lang]["localhost"]["bytes_median"]
            verdict = "met" if ratio <= 2 else f"**not met** ({ratio:.2f}×, {ratio - 2:.2f}× over)"
            lines.append(f"- {name}: the same ÷ N = 100 ({_kb(small[lang]['localhost']['bytes_median'])}): "
                         f"{ratio:.2f}×; target at most 2×: {verdict}.")
        throttled = big[lang]["throttled"]
        ms = throttled["first_result_ms"]
        verdict = "met" if ms <= TARGET_MS else f"**not met**, by {ms - TARGET_MS:.0f} ms"
        lines.append(f"- {name}: first result over the throttled link at N = 3,000: {ms / 1e3:.2f} s from the first "
                     f"keystroke (median of {len(throttled['first_result_ms_runs'])}; fastest "
                     f"{throttled['first_result_ms_min'] / 1e3:.2f} s); target within 1 s: {verdict}.")
        steps = _breakdown(throttled.get("timeline") or {})
        if steps:
            lines.append(f"  Of the median run's {throttled['timeline']['result']} ms: {steps}.")
    return lines


def against_lines(against: dict | None) -> list[str]:
    """The one-record-change figures of this tree and an earlier commit's, measured together by
    bench/against.py (bench/against.json)."""
    if not against:
        return []
    old, new = against["old"], against["new"]
    median = statistics.median
    lines = ["", f"The same figures measured together, in turns, with commit {old['commit']} (the one the previous "
             f"benchmark measured, with fingerprints and the record cache) on this machine in the same hour "
             f"(bench/against.py; medians of {len(new['rebuild'])} turns each, N = {against['n']:,}):", "",
             f"| | {new['commit']} (now) | {old['commit']} (fingerprints) |", "|---|---|---|",
             f"| build_kb.py after changing one record's English title | {median(new['rebuild']):.2f} s | "
             f"{median(old['rebuild']):.2f} s |",
             f"| build_kb.py after changing one definition's Persian text | {median(new['rebuild_text']):.2f} s | "
             f"{median(old['rebuild_text']):.2f} s |",
             f"| live reload, change one record until the page is served | {new['reload']:.1f} s | {old['reload']:.1f} s |",
             f"| for the machine's speed: starting Python with build_kb's code | {new['start']:.2f} s | {old['start']:.2f} s |",
             "", f"Of one rebuild of the new tree after a title change, profiled ({new['profiled_total']:.1f} s under "
             f"cProfile), running Pagefind for the two languages took {new['profiled_pagefind']:.1f} s "
             f"({new['profiled_pagefind'] / new['profiled_total']:.0%})."]
    return lines


def report(results: list[dict], against: dict | None = None) -> str:
    def row(label, fmt, rows=results):
        return f"| {label} | " + " | ".join(fmt(r) for r in rows) + " |"

    header = "| | " + " | ".join(f"N = {r['n']:,}" for r in results) + " |"
    rule = "|---|" + "---|" * len(results)
    chromium = next((r["chromium"] for r in results if "chromium" in r), "?")
    lines = [
        f"# Scale benchmark ({dt.date.today().isoformat()})", "",
        f"Machine: {machine()}; Pagefind {_pagefind_version()}, Chromium {chromium} (headless).", "",
        "Each N is N synthetic concepts of about 800 words (both languages), N/5 cited works, one article;",
        "2N concept pages. Times are wall seconds (CPU seconds in brackets), memory is peak RSS;",
        f"full builds are the fastest of {RUNS} runs. `python bench/run.py` measures everything below.", "",
        *_measured_again(results),
        "## Builds", "",
        header, rule,
        row("build_kb.py, from empty docs/ (now with Pagefind run for each language)",
            lambda r: f"{r['build_kb']['wall']:.2f} s ({r['build_kb']['cpu']:.2f}), {r['build_kb']['rss_mb']:.0f} MB"),
        row("I/O floor (read records, write outputs; lowest of 3 medians of 3 runs)", lambda r: f"{r['floor']:.2f} s"),
        row("build_kb.py ÷ I/O floor", lambda r: f"{r['build_kb']['wall'] / r['floor']:.1f}×"),
        row("for comparison: parsing the records with libyaml, nothing else",
            lambda r: f"{r['parse']:.2f} s, {r['parse'] / r['floor']:.1f}× the floor"),
        row("for comparison: starting Python and importing build_kb's code and libraries, nothing else",
            lambda r: f"{r['start']['wall']:.2f} s, {r['start']['wall'] / r['floor']:.1f}× the floor"),
        row("build_kb.py again, nothing changed (stops after reading the files)",
            lambda r: f"{r['build_kb_warm']['wall']:.2f} s, {r['build_kb_warm']['wall'] / r['floor']:.1f}× the floor"),
        row("mkdocs build --strict (both languages)", lambda r: f"{r['mkdocs']['wall']:.1f} s ({r['mkdocs']['cpu']:.1f}), "
                                                            f"{r['mkdocs']['rss_mb']:.0f} MB"),
        row("the same pages with Material's search plugin (bench/mkdocs.material-search.yml), one run",
            lambda r: f"{r['peer_build']['wall']:.1f} s ({r['peer_build']['cpu']:.1f}), {r['peer_build']['rss_mb']:.0f} MB"),
        row("the offline copy (build_kb --urls file, then mkdocs build -f mkdocs.offline.yml), one run",
            lambda r: f"{r['offline_build_kb']['wall']:.1f} s + {r['offline_build']['wall']:.1f} s"),
        row("site size", lambda r: f"{r['site_mb']:.1f} MB, {r['pages']:,} pages"),
        row("concept page HTML, average (max)", lambda r: f"{r['concept_html_kb']:.1f} KB ({r['concept_html_max_kb']:.1f})"),
        row("largest page", lambda r: f"{r['html_max_kb']:,.0f} KB ({r['html_max_page']})"),
    ]
    for r in results:
        if "rebuild" in r:
            one, text = r["rebuild_changes"], r["rebuild_text_changes"]
            lines += ["", f"At N = {r['n']:,}, every build that is not stopped early renders every page again "
                      "(the per-page fingerprints and the record cache are gone) and writes only the files whose "
                      "bytes changed. Against the previous benchmark "
                      f"({OLD_FIGURES['date']}, with fingerprints):", "",
                      "| | now | before |", "|---|---|---|",
                      f"| build_kb.py after changing one record's English title | {r['rebuild']['wall']:.2f} s "
                      f"({r['rebuild']['cpu']:.2f}) | {OLD_FIGURES['rebuild']:.2f} s |",
                      f"| build_kb.py after changing only one definition's Persian text | {r['rebuild_text']['wall']:.2f} s "
                      f"({r['rebuild_text']['cpu']:.2f}) | {OLD_FIGURES['rebuild_text']:.2f} s |",
                      f"| live reload (`mkdocs serve {' '.join(SERVE_OPTIONS)}`): change one record, until the changed "
                      f"page is served | {r['reload']:.1f} s | {OLD_FIGURES['reload']:.1f} s |", "",
                      f"- The title change wrote {_count(len(one['pages']), 'page')} ({', '.join(one['pages'])}), "
                      f"{one['search_written']} search files (and removed {one['search_removed']}), and "
                      f"{', '.join(one['other']) or 'nothing else'}.",
                      f"- The definition change wrote {_count(len(text['pages']), 'page')} ({', '.join(text['pages'])}), "
                      f"{text['search_written']} search files (and removed {text['search_removed']}), and "
                      f"{', '.join(text['other']) or 'nothing else'}.",
                      f"- Live reload against a full build: {r['reload']:.1f} s ÷ {r['mkdocs']['wall']:.1f} s = "
                      f"{r['reload'] / r['mkdocs']['wall']:.2f}; the first build when serving took {r['serve_initial']:.1f} s."]
    lines += against_lines(against)
    by_n = {r["n"]: r for r in results}
    if 1000 in by_n and 3000 in by_n:
        ratio = by_n[3000]["mkdocs"]["wall"] / by_n[1000]["mkdocs"]["wall"]
        lines += ["", f"MkDocs build time, N = 3,000 ÷ N = 1,000: {ratio:.2f} (linear would be 3)."]
    if 100 in by_n and 1000 in by_n:
        ratio = by_n[1000]["concept_html_kb"] / by_n[100]["concept_html_kb"]
        lines += [f"Concept page HTML, N = 1,000 ÷ N = 100: {ratio:.2f}."]

    searched = [r for r in results if "search" in r]
    if not searched:
        return "\n".join(lines) + "\n"
    header = "| | " + " | ".join(f"N = {r['n']:,}" for r in searched) + " |"
    rule = "|---|" + "---|" * len(searched)

    def srow(label, fmt):
        return row(label, fmt, searched)

    def spread(s):
        if "error" in s:
            return "failed (see results.json)"
        runs = sorted(s["first_result_ms_runs"])
        partial = "" if s.get("first_value") in QUERIES.values() else "*"
        return f"{s['first_result_ms'] / 1e3:.2f} s{partial} ({'/'.join(f'{x / 1e3:.2f}' for x in runs)})"

    def after_last(s):
        if "error" in s:
            return "failed"
        rest = s["first_result_ms"] - s["typing_ms"]
        shown = f"{rest / 1e3:.2f} s" if rest >= 0 else "≈ 0 s (shown before the last key was acknowledged)"
        return f"{shown} (typing {s['typing_ms'] / 1e3:.2f} s)"

    def ok(fmt):
        return lambda s: "failed" if "error" in s else fmt(s)

    lines += ["", "## Search", "",
              f"A reader opens {SEARCH_PAGE.rstrip('/')} and starts to search as soon as the page has loaded: at the "
              "load event \"/\" is pressed (again every 20 ms until the box has the focus), then the query "
              "«دیپلماسی» (English site: \"diplomacy\") is typed with Playwright's keyboard, 5 ms between keys, and "
              "the clock stops at the first `.md-search-result__item` in the page (a MutationObserver stamps it). "
              "Each figure is the **median of 3 runs** (the three in brackets, fastest first), each in a fresh "
              "browser context with an empty cache, after one warm-up run that is not counted. *localhost*: no "
              "emulation; *throttled*: DevTools' Network.emulateNetworkConditions with 60 ms latency and 9 Mbit/s "
              "(1,125,000 bytes/s) each way, and Network.setCacheDisabled, set before navigating (it applies to "
              "the Web Worker's requests too: Pagefind's requests are spaced by the latency). The site is served by "
              "bench/server.py (HTTP/1.1 with keep-alive on 127.0.0.1; text types gzipped at level 6, everything "
              "else as it is), which logs every response: the bytes are the response bodies of the requests that "
              "arrived after the page's load event and before the first result.", "",
              "### Time from the first keystroke to the first result", "", header, rule]
    for engine, ename in ENGINES:
        for lang, lname in LANG_NAMES:
            for link in ("localhost", "throttled"):
                lines.append(srow(f"{ename}, {lname}, {link}", lambda r, e=engine, l=lang, k=link: spread(r["search"][e][l][k])))
    for lang, lname in LANG_NAMES:
        lines.append(srow(f"offline copy (MiniSearch, file://), {lname}", lambda r, l=lang: spread(r["search"]["offline"][l])))
    def from_slash(s):
        if "error" in s:
            return "failed"
        if "from_slash_ms_runs" not in s:
            return "–"
        runs = sorted(s["from_slash_ms_runs"])
        return f"{s['from_slash_ms_median'] / 1e3:.2f} s ({'/'.join(f'{x / 1e3:.2f}' for x in runs)})"

    lines += ["", "\\* the first result shown was for the part of the query typed so far (Material's search "
              "answers each keystroke; the site's waits 60 ms after the last one).", "",
              "The same runs from the first press of \"/\" (medians, the runs in brackets). The offline copy builds its "
              "MiniSearch index of every document when the box takes the focus, while \"/\" is handled and before the "
              "first keystroke, so this is its figure that includes the indexing; the last rows add the page's "
              "load from disk (from the navigation to the first result):", "", header, rule]
    for engine, ename in ENGINES:
        for lang, lname in LANG_NAMES:
            for link in ("localhost", "throttled"):
                lines.append(srow(f"{ename}, {lname}, {link}", lambda r, e=engine, l=lang, k=link: from_slash(r["search"][e][l][k])))
    for lang, lname in LANG_NAMES:
        lines.append(srow(f"offline copy (MiniSearch, file://), {lname}", lambda r, l=lang: from_slash(r["search"]["offline"][l])))
    for lang, lname in LANG_NAMES:
        lines.append(srow(f"offline copy, {lname}: from opening the page (load, \"/\" with the indexing, typing, search)",
                          lambda r, l=lang: ok(lambda s: f"{s['from_open_ms_median'] / 1e3:.2f} s" if "from_open_ms_median" in s
                                               else "–")(r["search"]["offline"][l])))
    lines += ["", "Typing the query is part of that time: Playwright sends each key as a DevTools command, so the "
              "8 Persian letters (inserted as text) take 0.2 s or more and the 9 English keys (each a key down, "
              "press and up) 0.4 s or more, longer while the page's main thread is busy. The same runs, from the "
              "**last** keystroke (the median run):", "", header, rule]
    for engine, ename in ENGINES:
        for lang, lname in LANG_NAMES:
            for link in ("localhost", "throttled"):
                lines.append(srow(f"{ename}, {lname}, {link}",
                                  lambda r, e=engine, l=lang, k=link: after_last(r["search"][e][l][k])))
    for lang, lname in LANG_NAMES:
        lines.append(srow(f"offline copy, {lname}", lambda r, l=lang: after_last(r["search"]["offline"][l])))
    lines += ["", "Where the site's search spends it (the median run; ms from the first keystroke, as each request "
              "reached the server; negative: before it): the last key typed; pagefind.js, Pagefind's entry file (with its meta "
              "and wasm, asked for as the box opened), a lexicon shard, the index "
              "chunk, the first and the last of the fragments requested; the first result shown. And the page's "
              "load and the wait for the box before the first keystroke. Then the time Pagefind's search takes by itself "
              "on the main thread once the index chunks are in (bench/search.engine_time: the first search, with the wasm "
              "code cold, and the median of four more), and how many pages the query matches: it grows faster than N, "
              "since Pagefind 1.5.2 scores each matching page by a pass over every matching word of every page "
              "(Pagefind pull request #1334, open, groups them by page first):", "", header, rule]
    for lang, lname in LANG_NAMES:
        for link in ("localhost", "throttled"):
            lines.append(srow(f"site's search, {lname}, {link}: steps",
                              lambda r, l=lang, k=link: ok(lambda s: _steps(s.get("timeline")))(r["search"]["pagefind"][l][k])))
            lines.append(srow(f"site's search, {lname}, {link}: page load / wait for the box",
                              lambda r, l=lang, k=link: ok(lambda s: f"{s['load_ms_median']:.0f} / "
                                                           f"{s['box_wait_ms_median']:.0f} ms")(r["search"]["pagefind"][l][k])))
    for lang, lname in LANG_NAMES:
        lines.append(srow(f"site's search, {lname}: Pagefind's search itself, its index chunks loaded: first / again",
                          lambda r, l=lang: ok(lambda s: f"{s['first_ms']:.0f} / {s['again_ms']:.0f} ms, "
                                               f"{s['found']:,} pages")(r["search"].get("pagefind_engine", {}).get(l, {"error": "not measured"}))))
    for engine, ename in ENGINES[1:]:
        for lang, lname in LANG_NAMES:
            lines.append(srow(f"{ename}, {lname}, throttled: page load / wait for the box",
                              lambda r, e=engine, l=lang: ok(lambda s: f"{s['load_ms_median']:.0f} / "
                                                             f"{s['box_wait_ms_median']:.0f} ms")(r["search"][e][l]["throttled"])))
    for lang, lname in LANG_NAMES:
        lines.append(srow(f"offline copy, {lname}: page load from disk (offline.js is parsed before it)",
                          lambda r, l=lang: ok(lambda s: f"{s['load_ms_median']:.0f} ms")(r["search"]["offline"][l])))

    lines += ["", "### Bytes over the wire for the first result (gzipped as served)", "",
              "Between the load event and the first result (the issue's measure), and every search file fetched "
              "from the navigation on (Material's search fetches its whole index as the page starts, before the load "
              "event, so only the second measure compares the two engines). Medians of the 3 runs:", "", header, rule]
    for engine, ename in ENGINES:
        for lang, lname in LANG_NAMES:
            for link in ("localhost", "throttled"):
                lines.append(srow(f"{ename}, {lname}, {link}: after the load event / every search file",
                                  lambda r, e=engine, l=lang, k=link: ok(
                                      lambda s: f"{_kb(s['bytes_median'])} / {_kb(s['search_bytes_all'])}")(r["search"][e][l][k])))
    lines += ["", "What was fetched (the median localhost run: kind, files, bytes). *engine*: pagefind.js "
              "and its wasm (Material: its search worker); *index*: Pagefind's entry file, meta and index chunks "
              "(Material: search_index.json); *fragments*: one per result page, for its title and text; *lexicon*: "
              "the names and spellings shards the query needs; *other*: the favicon, which the browser asks for "
              "after the load event.", "", header, rule]
    for engine, ename in ENGINES:
        for lang, lname in LANG_NAMES:
            lines.append(srow(f"{ename}, {lname}, after the load event",
                              lambda r, e=engine, l=lang: ok(lambda s: _files_text(s["files"]))(r["search"][e][l]["localhost"])))
            lines.append(srow(f"{ename}, {lname}, every search file from the navigation on",
                              lambda r, e=engine, l=lang: ok(lambda s: _files_text(s["search_files_all"]))(
                                  r["search"][e][l]["localhost"])))
    lines += ["", header, rule, srow("machine load average (1 min) before / after the browser runs",
                                     lambda r: f"{r['search_load_before'][0]:.1f} / {r['search_load_after'][0]:.1f}")]

    lines += ["", "### Search files on disk (served: the bytes a host with gzip on sends for all of them)", "", header, rule]
    for lang, lname in LANG_NAMES:
        k = f"{lang}_search"
        lines += [
            srow(f"site's search, {lname}: Pagefind index (index chunks, fragments, meta), files / raw / served",
                 lambda r, k=k: f"{r[k]['index']['files']:,} / {_kb(r[k]['index']['bytes'])} / {_kb(r[k]['index']['served'])}"),
            srow(f"site's search, {lname}: of which fragments (one per page), files / raw",
                 lambda r, k=k: f"{r[k]['fragments']['files']:,} / {_kb(r[k]['fragments']['bytes'])}"),
            srow(f"site's search, {lname}: Pagefind engine (pagefind.js, wasm), raw / served",
                 lambda r, k=k: f"{_kb(r[k]['engine']['bytes'])} / {_kb(r[k]['engine']['served'])}"),
            srow(f"site's search, {lname}: lexicon shards, files / raw / served",
                 lambda r, k=k: f"{r[k]['lexicon']['files']:,} / {_kb(r[k]['lexicon']['bytes'])} / {_kb(r[k]['lexicon']['served'])}"),
            srow(f"site's search, {lname}: the whole bundle (search/pagefind/), files / raw",
                 lambda r, k=k: f"{r[k]['pagefind']['files']:,} / {_kb(r[k]['pagefind']['bytes'])}"),
            srow(f"site's search, {lname}: index and lexicon served ÷ the page text gzipped",
                 lambda r, k=k, lang=lang: f"{(r[k]['index']['served'] + r[k]['lexicon']['served']) / 1e6 / r[f'{lang}_text_gz_mb']:.2f}"),
            srow(f"Material's search, {lname}: search_index.json raw / gzipped",
                 lambda r, lang=lang: f"{_kb(r['peer'][f'{lang}_index']['bytes'])} / {_kb(r['peer'][f'{lang}_index']['served'])}"),
            srow(f"Material's search, {lname}: ÷ the page text gzipped",
                 lambda r, lang=lang: f"{r['peer'][f'{lang}_index']['served'] / 1e6 / r[f'{lang}_text_gz_mb']:.2f}"),
            srow(f"offline copy, {lname}: search/offline.js raw / gzipped",
                 lambda r, lang=lang: f"{_kb(r['offline'][f'{lang}_data']['bytes'])} / {_kb(r['offline'][f'{lang}_data']['served'])}"),
        ]
    gain = max(r[f"{lang}_search"]["pf_gzip_gain"] for r in searched for lang in ("fa", "en"))
    saving = (f"would save at most {gain:.1%} of their bytes" if gain > 0
              else f"saves nothing (they grow by {-gain:.1%})")
    lines += ["", f"Pagefind's .pf_* and .pagefind files (index, fragments, wasm) are gzip streams already: gzipping "
              f"them again {saving}, so the server sends them as they are, as a host with gzip on for text types does."]
    lines += ["", "### The issue's targets (site's search)", ""] + targets(results)
    lines += ["", "## What each row measures", "",
              "- **build_kb.py, from empty docs/**: generating every page, download and search file of both "
              "languages from the records, Pagefind's two index runs included; the I/O floor beside it reads the "
              "records and writes the same files with no processing.",
              "- **nothing changed**: build_kb reads the files, finds docs/ up to date and stops.",
              "- **mkdocs build --strict**: the whole bilingual site as `make site` builds it (the hook's build_kb "
              "finds nothing to do); the peer is the same pages with Material's search plugin on, and the offline "
              "copy is `make offline` without the zip.",
              "- **one record changed** (N = 1,000): build_kb after editing one title or one definition. Every "
              "page is rendered again; only files whose bytes changed are written. Live reload is `make serve`'s "
              "`mkdocs serve --dirty`: from saving the record to the changed page being served.",
              "- **time to the first result**: what a reader who types as soon as the page has loaded waits for, "
              "from the first key to the first result on screen, typing included; fetching the engine and the "
              "index is part of it, because nothing is fetched for search before the box has the focus (the "
              "site's search) or the index is fetched as the page starts (Material's).",
              "- **bytes between the load event and the first result**: what search costs a reader's connection "
              "for that first result, gzipped as a static host sends it; the second figure adds the search files "
              "fetched before the load event (Material's index).",
              "- **search files on disk**: what the host stores; *served* is what it sends if every file is "
              "fetched once, gzipped where gzip applies. A first search fetches only a few of the fragments and "
              "index chunks.",
              "- **offline copy**: opened from file://, where the page loads every document in one script "
              "(search/offline.js) before its load event and MiniSearch indexes them all when the box takes the "
              "focus."]
    return "\n".join(lines) + "\n"


def _measured_again(results: list[dict]) -> list[str]:
    again = sorted({r["search_again"] for r in results if "search_again" in r})
    if not again:
        return []
    return [f"The search figures, the site size and the search files on disk were measured again on {', '.join(again)} "
            "(`--search-again`), on the sites as they were built then; the build times are from the first run.", ""]


def _steps(timeline: dict | None) -> str:
    if not timeline:
        return "–"
    t = {k: ("–" if v is None else str(v)) for k, v in timeline.items()}
    return (f"{t['typed']}; {t['engine']}, {t.get('entry', '–')}, {t['lexicon']}, {t['index']}, "
            f"{t['fragments']}–{t['fragments_last']}; {t['result']}")


def _pagefind_version() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return version("pagefind-bin")
    except PackageNotFoundError:
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 3000])
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.md")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--from-json", action="store_true",
                        help="only write the report again from the results' .json next to --out")
    parser.add_argument("--search-again", action="store_true",
                        help="with --keep: measure search again on the sites an earlier run kept there, and "
                             "replace the search figures (and those of the files on disk) in the results' .json "
                             "(the machine is shared: a busy spell can be measured again; a site built again "
                             "with changed code is measured as it is now)")
    parser.add_argument("--quick", action="store_true",
                        help="time each build once and skip the one-record changes (to try the benchmark out)")
    args = parser.parse_args()
    data = args.out.with_suffix(".json")
    if args.from_json:
        results = json.loads(data.read_text(encoding="utf-8"))
    elif args.search_again:
        if not args.keep:
            raise SystemExit("--search-again needs --keep, the folder of the earlier run")
        results = json.loads(data.read_text(encoding="utf-8"))
        for result in results:
            if result["n"] in args.sizes:
                print(f"N = {result['n']}: search in the browser, again", flush=True)
                project = args.keep / f"project-{result['n']}"
                result.update(site_figures(project / "site"))  # the site may have been built again since
                result["search_again"] = dt.date.today().isoformat()
                result["offline"] = offline_figures(project / OFFLINE_SITE)
                search_bench(project, result)
                data.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")
    else:
        workdir = args.keep or Path(tempfile.mkdtemp(prefix="kb-bench-"))
        results = []
        try:
            for n in args.sizes:
                results.append(bench(n, workdir, quick=args.quick))
                data.write_text(json.dumps(results, indent=1, ensure_ascii=False), encoding="utf-8")  # after each N
                if not args.keep:  # the N = 3,000 project takes about 1.5 GB with its three sites
                    shutil.rmtree(workdir / f"project-{n}", ignore_errors=True)
        finally:
            if not args.keep:
                shutil.rmtree(workdir, ignore_errors=True)
    against = args.out.with_name("against.json")
    text = report(results, json.loads(against.read_text(encoding="utf-8")) if against.exists() else None)
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

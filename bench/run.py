#!/usr/bin/env python3
"""Scale benchmark: generate N synthetic bilingual concepts, build them, and report.

    python bench/run.py                      # N = 100, 1000, 3000; writes bench/results.md
    python bench/run.py --sizes 100 1000     # fewer sizes
    python bench/run.py --out /tmp/r.md      # elsewhere

For each N it measures, each command in a fresh child process (wall time, CPU time, peak RSS;
full builds are timed three times and the fastest run counts):
- build_kb.py from an empty docs/, next to an I/O floor measured in the same run: read every
  record and write every output file, with no processing;
- `mkdocs build --strict` of the whole bilingual site (the hook runs build_kb first: nothing to do);
- libyaml parsing every record and nothing else, the least a build that reads YAML must spend,
  and starting Python with build_kb's code and libraries, the least any run of it spends;
- build_kb.py again with nothing changed (it stops after reading the files and checking docs/);
- the site: size, HTML per page (concept pages, and all pages), each language's search index
  raw and gzipped, and the gzipped plain text of that language's pages for comparison;
and at N = 1000:
- build_kb after changing one record: time and pages rewritten;
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
        index = (root / "search" / "search_index.json").read_bytes()
        text = []
        for page in pages:
            in_lang = page.relative_to(site).as_posix().startswith("en/") == (lang == "en")
            if in_lang and page.name == "index.html":
                parser = _Text()
                parser.feed(page.read_text(encoding="utf-8"))
                text.append(" ".join(" ".join(parser.parts).split()))
        plain = "\n".join(text).encode("utf-8")
        figures[f"{lang}_index_mb"] = len(index) / 1e6
        figures[f"{lang}_index_gz_mb"] = len(gzip.compress(index, 6)) / 1e6
        figures[f"{lang}_text_gz_mb"] = len(gzip.compress(plain, 6)) / 1e6
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


def bench(n: int, workdir: Path) -> dict:
    print(f"N = {n}: generating", flush=True)
    source = workdir / f"records-{n}"
    generate(source, n)
    project = make_project(workdir / f"project-{n}", records=source / "concepts", settings=source / "kb.yml")
    result = {"n": n}
    print(f"N = {n}: build_kb", flush=True)
    def from_empty():
        subprocess.run([sys.executable, "build_kb.py", "--clean"], cwd=project, env=_env(), check=True,
                       stdout=subprocess.DEVNULL)
        shutil.rmtree(project / ".kb-cache", ignore_errors=True)
        os.sync()  # the last run's writes are not left for this one to wait on

    result["build_kb"] = fastest(RUNS, project, sys.executable, "build_kb.py", "--quiet", before=from_empty)
    result["build_kb_warm"] = measure(project, sys.executable, "build_kb.py", "--quiet")  # nothing changed
    result["floor"] = min(io_floor(project) for _ in range(3))
    result["parse"] = parse_floor(project)
    result["start"] = fastest(RUNS, project, sys.executable, "-c", "import kb.pipeline")
    print(f"N = {n}: mkdocs build", flush=True)
    result["mkdocs"] = fastest(RUNS, project, sys.executable, "-m", "mkdocs", "build", "--strict", "--clean")
    result.update(site_figures(project / "site"))
    if n == 1000:
        print(f"N = {n}: one record changed", flush=True)
        before = {p: p.stat().st_mtime_ns for p in (project / "docs").rglob("*.md")}
        change_one_record(project, "changed once")
        result["rebuild"] = measure(project, sys.executable, "build_kb.py", "--quiet")
        result["rewritten"] = sum(1 for p, stamp in before.items() if p.stat().st_mtime_ns != stamp)
        print(f"N = {n}: one definition changed", flush=True)
        before = {p: p.stat().st_mtime_ns for p in (project / "docs").rglob("*") if p.is_file()}
        change_one_definition(project)
        result["rebuild_text"] = measure(project, sys.executable, "build_kb.py", "--quiet")
        result["rewritten_text"] = sorted(p.relative_to(project / "docs").as_posix() for p, stamp in before.items()
                                          if p.stat().st_mtime_ns != stamp)
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


def report(results: list[dict]) -> str:
    def row(label, fmt):
        return f"| {label} | " + " | ".join(fmt(r) for r in results) + " |"

    header = "| | " + " | ".join(f"N = {r['n']:,}" for r in results) + " |"
    lines = [
        f"# Scale benchmark ({dt.date.today().isoformat()})", "",
        f"Machine: {machine()}.", "",
        "Each N is N synthetic concepts of about 800 words (both languages), N/5 cited works, one article;",
        "2N concept pages. Times are wall seconds (CPU seconds in brackets), memory is peak RSS;",
        f"full builds are the fastest of {RUNS} runs.", "",
        header, "|---|" + "---|" * len(results),
        row("build_kb.py, from empty docs/", lambda r: f"{r['build_kb']['wall']:.2f} s ({r['build_kb']['cpu']:.2f}), "
                                                   f"{r['build_kb']['rss_mb']:.0f} MB"),
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
        row("site size", lambda r: f"{r['site_mb']:.1f} MB, {r['pages']:,} pages"),
        row("concept page HTML, average (max)", lambda r: f"{r['concept_html_kb']:.1f} KB ({r['concept_html_max_kb']:.1f})"),
        row("largest page", lambda r: f"{r['html_max_kb']:,.0f} KB ({r['html_max_page']})"),
    ]
    for lang, name in (("fa", "Persian"), ("en", "English")):
        lines.append(row(f"{name} search index, raw / gzipped",
                         lambda r, lang=lang: f"{r[f'{lang}_index_mb']:.2f} / {r[f'{lang}_index_gz_mb']:.2f} MB"))
        lines.append(row(f"{name} index gzipped ÷ page text gzipped",
                         lambda r, lang=lang: f"{r[f'{lang}_index_gz_mb'] / r[f'{lang}_text_gz_mb']:.2f}"))
    for r in results:
        if "rebuild" in r:
            lines += ["", f"At N = {r['n']:,}, after changing one record (its English title):", "",
                      f"- build_kb.py: {r['rebuild']['wall']:.2f} s, {r['rewritten']} pages rewritten "
                      "(the title shows on the index pages, the glossary, the map and the bibliography).",
                      f"- After changing only its first definition's Persian text: {r['rebuild_text']['wall']:.2f} s, "
                      f"{len(r['rewritten_text'])} files rewritten ({', '.join(r['rewritten_text'])}).",
                      f"- Live reload (`mkdocs serve` {' '.join(SERVE_OPTIONS)}): {r['reload']:.1f} s until "
                      f"the changed page is served, against {r['mkdocs']['wall']:.1f} s for a full build "
                      f"({r['reload'] / r['mkdocs']['wall']:.2f} of it); the first build when serving took "
                      f"{r['serve_initial']:.1f} s."]
    by_n = {r["n"]: r for r in results}
    if 1000 in by_n and 3000 in by_n:
        ratio = by_n[3000]["mkdocs"]["wall"] / by_n[1000]["mkdocs"]["wall"]
        lines += ["", f"MkDocs build time, N = 3,000 ÷ N = 1,000: {ratio:.2f} (linear would be 3)."]
    if 100 in by_n and 1000 in by_n:
        ratio = by_n[1000]["concept_html_kb"] / by_n[100]["concept_html_kb"]
        lines += [f"Concept page HTML, N = 1,000 ÷ N = 100: {ratio:.2f}."]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 3000])
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.md")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="kb-bench-"))
    try:
        results = [bench(n, workdir) for n in args.sizes]
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    text = report(results)
    args.out.write_text(text, encoding="utf-8")
    (args.out.with_suffix(".json")).write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

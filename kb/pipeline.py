"""The build, top to bottom: load → validate → link → render → write.

Every stage before write is pure with respect to docs/: it reads records and returns data.
Write runs only when no stage found a problem. A build with nothing to do (every input and
every generated file exactly as the last build left them) stops before parsing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .linking import KnowledgeBase, link_records
from .records.loading import find_record_files, load_records
from .records.problems import Problems
from .records.settings import load_settings
from .records.validation import validate_records
from .render.pages import site_pages
from .render.urls import DIRECTORY
from .search import site_search_files
from .write.journal import (MANIFEST, Staging, WritePlan, WritePlanner, copy_hand_written, find_files_in_the_way,
                            finish_committed_write, read_manifest, recover_interrupted_write, write_pages)
from .write.last_build import LastBuild, input_digest, one_build_at_a_time, read_files, running_code

running_code()  # the digest of kb/**/*.py as this process loaded them (see last_build.running_code)


@dataclass(frozen=True)
class Paths:
    """Where a project keeps its records, settings, generated pages and build cache."""

    root: Path
    records: Path
    docs: Path
    settings: Path
    cache: Path

    @classmethod
    def for_root(cls, root: Path, records: Path | None = None, docs: Path | None = None) -> "Paths":
        root = root.resolve()
        return cls(root, (records or root / "concepts").resolve(), (docs or root / "docs").resolve(),
                   root / "kb.yml", root / ".kb-cache")


@dataclass
class BuildResult:
    problems: Problems
    record_count: int
    kb: KnowledgeBase | None = None
    plan: WritePlan | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def run(paths: Paths, *, write: bool = True, style: str = DIRECTORY, hand_written: Path | None = None) -> BuildResult:
    """Build the pages; with write=False only check (docs/ is not touched).

    style is the URL style of the links the pages hold (urls.DIRECTORY for the published site,
    urls.FILE for the offline copy). hand_written is the docs/ folder whose hand-written pages a
    second tree of pages (paths.docs, such as the offline copy's) gets a copy of. Builds of one
    project run one at a time, even from different processes.
    """
    if not write:
        return _run(paths, write=False, style=style)
    with one_build_at_a_time(paths.cache):
        if hand_written is not None:
            copy_hand_written(hand_written, paths.docs)
        return _run(paths, write=True, style=style)


def _run(paths: Paths, *, write: bool, style: str) -> BuildResult:
    problems = Problems()
    # Load: every record file, read once (its bytes also make the digest of this build's inputs).
    files = find_record_files(paths.root, paths.records, problems)
    record_count = len(files) + len(problems)  # so far, problems are files refused as records
    if write:  # even if this build then fails on its records: docs/ is never left half-written
        finish_committed_write(paths.docs)
    contents = read_files(files)
    inputs = input_digest(paths.root, contents, paths.settings, (style,)) if write else None
    last_build = LastBuild(paths.cache, paths.docs)
    if write and not problems and last_build.still_current(inputs, paths.docs):
        return BuildResult(problems, record_count, plan=WritePlan(unchanged=last_build.pages, manifest_changed=False))
    raw_records = load_records(paths.root, files, problems, contents)
    # Validate, then link: the typed model of the valid records, every reference resolved.
    records = validate_records(raw_records, problems)
    kb = link_records(records, {raw.path: raw for raw in raw_records}, problems)
    settings = load_settings(paths.settings, paths.root, problems)
    result = BuildResult(problems, record_count, kb)
    if problems:
        return result
    # Render and write: each page is rendered, then staged if its bytes changed; the staged pages
    # are committed together at the end, or not at all.
    specs = site_pages(kb, settings, style)
    search = site_search_files(kb, paths.docs, {s.path for s in specs} | set(read_manifest(paths.docs)), style)
    sources = {s.path: s.source for s in specs} | {f.path: f.source for f in search}
    find_files_in_the_way(list(sources), sources, paths.docs, problems)
    if problems:
        return result
    if not write:
        result.plan = _plan(specs, search, WritePlanner(paths.docs, inputs))
        return result
    recover_interrupted_write(paths.docs)
    last_build.forget()  # before anything, even a staged file, is written to docs/
    with Staging(paths.docs) as staging:  # removed again unless write_pages commits it
        result.plan = _plan(specs, search, WritePlanner(paths.docs, inputs, staging))
        write_pages(result.plan, paths.docs, staging)
    if input_digest(paths.root, read_files(files), paths.settings, (style,)) == inputs:
        last_build.remember(paths.docs, result.plan.manifest)
    # else a file was saved while this build read it: the next build checks everything again
    return result


def _plan(specs, search, planner: WritePlanner) -> WritePlan:
    """Render each page, then hand it to the planner (which stages it if its bytes changed)."""
    for spec in specs:
        planner.add(spec.path, spec.render().data)
    for file in search:
        planner.add(file.path, file.data)
    return planner.finish()


def clean(paths: Paths) -> int:
    """Remove every generated page (hand-written ones stay); returns how many were removed."""
    with one_build_at_a_time(paths.cache):  # a running build's temporary files are its own
        return _clean(paths)


def _clean(paths: Paths) -> int:
    recover_interrupted_write(paths.docs)
    generated = read_manifest(paths.docs)
    plan = WritePlan(delete=sorted(p for p in generated if (paths.docs / p).is_file()))
    if generated:
        with Staging(paths.docs) as staging:
            write_pages(plan, paths.docs, staging)
    (paths.docs / MANIFEST).unlink(missing_ok=True)  # also one left empty by a clean that was killed
    return len(plan.delete)

"""The build, top to bottom: load → validate → link → render → write.

Every stage before write is pure with respect to docs/: it reads records and
returns data. Write runs only when no stage found a problem.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .cache import RecordCache
from .fingerprints import running_code
from .last_build import LastBuild, file_digests, input_digest, one_build_at_a_time
from .linking import KnowledgeBase, link_records
from .loading import find_record_files, load_records, read_record, record_name
from .model import Bilingual, SiteSettings
from .problems import Problems
from .reloading import reload_changed_sources
from .rendering import site_pages
from .schema import check_schema
from .validation import check_characters, validate_records
from .writing import (MANIFEST, Staging, WritePlan, finish_committed_write, plan_writes, read_manifest,
                      recover_interrupted_write, write_pages)


running_code()  # the digest of kb/*.py as this process loaded them (see fingerprints.running_code)


@dataclass(frozen=True)
class Paths:
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


def run(paths: Paths, *, write: bool = True) -> BuildResult:
    """Build the pages; with write=False only check (docs/ is not touched).

    When the inputs and docs/ are exactly as the last successful build left them, a build
    stops after reading the files: nothing is parsed or rendered, and result.kb is None.
    Builds of one project run one at a time, even from different processes.
    """
    if not write:
        return _run(paths, write=False)
    with one_build_at_a_time(paths.cache):
        return _run(paths, write=True)


def _run(paths: Paths, *, write: bool) -> BuildResult:
    reload_changed_sources()  # `make serve` builds again in the same process after an edit
    problems = Problems()
    files = find_record_files(paths.root, paths.records, problems)
    record_count = len(files) + len(problems)  # so far, problems are files refused as records
    last_build = LastBuild(paths.cache)
    if write:  # even if this build then fails on its records: docs/ is never left half-written
        finish_committed_write(paths.docs)
    digests = file_digests(files)
    inputs = input_digest(paths.root, digests, paths.settings) if write else None
    if write and not problems and last_build.still_current(inputs, paths.docs):
        return BuildResult(problems, record_count, plan=WritePlan(unchanged=last_build.pages, manifest_changed=False))
    cache = RecordCache(paths.cache)
    raw_records = load_records(paths.root, files, problems, cache, digests)
    records = validate_records(raw_records, problems)
    loaded = {raw.path for raw in raw_records}
    unreadable = {path.stem for path, _ in files if record_name(path, paths.root) not in loaded}
    records = dataclasses.replace(records, broken_ids=records.broken_ids | unreadable)
    kb = link_records(records, {raw.path: raw for raw in raw_records}, problems)
    settings = load_settings(paths, problems)
    result = BuildResult(problems, record_count, kb)
    if problems:
        return result
    pages = site_pages(kb, settings, {raw.path: raw.digest for raw in raw_records})
    if not write:
        result.plan = plan_writes(pages, paths.docs, problems)
        return result
    recover_interrupted_write(paths.docs)
    stats = last_build.stats
    last_build.forget()  # before anything, even a staged file, is written to docs/
    with Staging(paths.docs) as staging:  # removed again unless write_pages commits it
        result.plan = plan_writes(pages, paths.docs, problems, stats, inputs, staging)
        if problems:
            return result
        write_pages(result.plan, paths.docs, staging)
    if not cache.is_current(raw_records):
        cache.keep(raw_records)  # all valid: nothing is written otherwise
        cache.save()
    if input_digest(paths.root, file_digests(files), paths.settings, fresh=True) == inputs:
        last_build.remember(paths.docs, result.plan.manifest)
    # else a file was saved while this build read it: the next build checks everything again
    return result


def load_settings(paths: Paths, problems: Problems) -> SiteSettings | None:
    """Read kb.yml (checked like a record): the name and edition every page and citation shows."""
    rel = paths.settings.relative_to(paths.root).as_posix()
    if not paths.settings.is_file():
        problems.add(rel, 0, "", "settings file not found; copy kb.yml from the repository")
        return None
    raw = read_record(paths.settings, rel, "settings", problems)
    if raw is None or not (check_schema(raw, problems) & check_characters(raw, problems)):
        return None
    data = raw.data
    try:
        date = dt.date.fromisoformat(data["edition_date"])
    except ValueError:
        problems.add(rel, raw.line(("edition_date",)), "edition_date",
                     f"'{data['edition_date']}' is not a real date")
        return None
    return SiteSettings(name=Bilingual(**data["name"]), editors=Bilingual(**data["editors"]),
                        edition=data["edition"], edition_date=date, site_url=data["site_url"])


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

"""The build, top to bottom: load → validate → link → render → write.

Every stage before write is pure with respect to docs/: it reads records and returns data.
Write runs only when no stage found a problem. A build with nothing to do (every input and
every generated file exactly as the last build left them) stops before parsing anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .editions import Edition, History, load_history, version_key
from .editions.changes import edition_changes
from .linking import KnowledgeBase, link_records
from .records.loading import find_record_files, load_records
from .records.problems import Problems
from .records.settings import load_settings
from .records.validation import validate_records
from .render.export import export_knowledge_base
from .render.pages import site_pages
from .render.urls import DIRECTORY
from .search import site_search_files
from .write.journal import (MANIFEST, Staging, WritePlan, WritePlanner, copy_hand_written, find_files_in_the_way,
                            finish_committed_write, read_manifest, recover_interrupted_write, write_pages)
from .write.last_build import LastBuild, editions_digest, input_digest, one_build_at_a_time, read_files, running_code
from .write.mirror import mirror_editions

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
    warnings: list[str] = field(default_factory=list)
    """What a preview lets through that a build refuses (see run's preview)."""

    @property
    def ok(self) -> bool:
        return not self.problems


def run(paths: Paths, *, write: bool = True, style: str = DIRECTORY, hand_written: Path | None = None,
        archive: bool = False, preview: bool = False) -> BuildResult:
    """Build the pages; with write=False only check (docs/ is not touched).

    style is the URL style of the links the pages hold (urls.DIRECTORY for the published site,
    urls.FILE for the offline copy). hand_written is the docs/ folder whose hand-written pages a
    second tree of pages (paths.docs, such as the offline copy's) gets a copy of. Builds of one
    project run one at a time, even from different processes. archive makes the pages of the
    fixed copy of the edition kb.yml names, for publish.py (no search, no other editions).
    preview (`mkdocs serve`) lets records differ from the published edition kb.yml names, with a
    warning, so that an edit shows at once; every other build refuses that (see editions_to_render).
    """
    if not write:
        return _run(paths, write=False, style=style, archive=archive, preview=preview)
    with one_build_at_a_time(paths.cache):
        if hand_written is not None:
            copy_hand_written(hand_written, paths.docs)
        return _run(paths, write=True, style=style, archive=archive, preview=preview)


def _run(paths: Paths, *, write: bool, style: str, archive: bool, preview: bool) -> BuildResult:
    problems = Problems()
    # Load: every record file, read once (its bytes also make the digest of this build's inputs).
    files = find_record_files(paths.root, paths.records, problems)
    record_count = len(files) + len(problems)  # so far, problems are files refused as records
    if write:  # even if this build then fails on its records: docs/ is never left half-written
        finish_committed_write(paths.docs)
    contents = read_files(files)
    options = (style, archive, editions_digest(paths.root)) if write else None  # what else the pages depend on
    inputs = input_digest(paths.root, contents, paths.settings, options) if write else None
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
    # The published editions, and (publishing) the one being made, with what the records say now.
    checked = Problems()
    history = editions_to_render(load_history(paths.root), export_knowledge_base(kb, settings), settings,
                                 archive, checked)
    if preview and not archive:
        result.warnings = [str(problem) for problem in checked.sorted()]
    else:
        problems.extend(checked.items)
    if problems:
        return result
    # Render and write: each page is rendered, then staged if its bytes changed; the staged pages
    # are committed together at the end, or not at all.
    specs = site_pages(kb, settings, style, history, settings.edition if archive else None)
    generated = {s.path for s in specs} | set(read_manifest(paths.docs))
    search = [] if archive else site_search_files(kb, paths.docs, generated, style)
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
    if style == DIRECTORY and not archive:  # the offline copy and an edition's copy hold one edition
        mirror_editions(paths.root, paths.docs)
    if input_digest(paths.root, read_files(files), paths.settings, options) == inputs:
        last_build.remember(paths.docs, result.plan.manifest)
    # else a file was saved while this build read it: the next build checks everything again
    return result


def editions_to_render(history: History, current: dict, settings, archive: bool, problems: Problems) -> History:
    """The editions the pages show. Publishing, the edition kb.yml names joins them, with the
    records' current content; it must come after every published one."""
    latest = history.latest
    line = settings.lines.get
    if not archive:
        _check_published_edition(history, current, settings, problems)
        return History(history.editions, current)
    if history.get(settings.edition) or (latest and version_key(settings.edition) <= version_key(latest.edition)):
        problems.add("kb.yml", line("edition", 0), "edition", f"edition {settings.edition} is not after the latest "
                     f"published one ({latest.edition}, in editions/); raise the edition in kb.yml before publishing")
    elif latest and settings.edition_date < latest.date:
        problems.add("kb.yml", line("edition_date", 0), "edition_date", f"{settings.edition_date} is before the date "
                     f"of edition {latest.edition} ({latest.date}); give the new edition its own date")
    return History(history.editions + (Edition(settings.edition, settings.edition_date, current),), current)


def _check_published_edition(history: History, current: dict, settings, problems: Problems) -> None:
    """Every page and citation names kb.yml's edition. Once that edition is published, its text is
    fixed: records that read otherwise must be a new edition, or citations would name text that
    edition never had."""
    published = history.get(settings.edition)
    if published is None:
        if history.latest and version_key(settings.edition) < version_key(history.latest.edition):
            problems.add("kb.yml", settings.lines.get("edition", 0), "edition",
                         f"edition {settings.edition} is older than the latest published one "
                         f"({history.latest.edition}, in editions/)")
        return
    changed = [change.concept for change in edition_changes(published.content, current)]
    changed += [f"the {part}" for part in ("articles", "works") if published.content[part] != current[part]]
    if changed or published.date != settings.edition_date:
        what = f"the records ({', '.join(changed[:5])}{' …' if len(changed) > 5 else ''}) now differ from it" \
            if changed else f"its date is {published.date}"
        problems.add("kb.yml", settings.lines.get("edition", 0), "edition",
                     f"edition {settings.edition} is published (editions/{settings.edition}/) and {what}; raise the "
                     "edition (and edition_date) in kb.yml for the new text, and run make edition when it is ready")


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

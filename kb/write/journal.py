"""Stage 5, write: put the rendered pages into docs/, changing only what changed.

Only this stage (and last_build, which records what it left) touches docs/.

- Files whose bytes are unchanged are not touched, so MkDocs' live reload and
  dirty builds rebuild only what changed.
- Pages generated for records that no longer exist are removed; the manifest
  docs/.kb-manifest.json lists what build_kb generated.
- Hand-written pages (not in the manifest) are never overwritten or removed; a
  generated page that would replace one is an error, found before writing.
- The change is committed through a journal. Each new content is staged in
  docs/.kb-staging/ as soon as its page is rendered (so that one page at a time
  is held in memory; MkDocs watches docs/fa and docs/en, not this folder). At
  the end each staged file is moved beside its target as a hidden temporary
  file (where anything that would stop the final rename, such as a folder that
  cannot be written, shows up before the commit), then a journal listing every
  rename and removal is written, and they are applied. A run interrupted before
  the journal exists changes no page (what it staged is removed, at the latest
  by the next run); one interrupted after is completed by the next run, before
  anything reads docs/. This protects against an interrupted or failing
  process (Ctrl-C, a crash, a full disk), which is what a build meets. Files
  are not synced one by one for power loss: docs/ is generated and can be
  rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..records.problems import Problems

MANIFEST = ".kb-manifest.json"
JOURNAL = ".kb-journal.json"
STAGING = ".kb-staging"
TEMP_SUFFIX = ".kbtmp"
MIRRORED = "fa/editions"
"""Where in docs/ the build serves the published editions' fixed copies (write/mirror.py): files
the build makes without listing them as pages, so never hand-written."""
"""Of the hidden temporary files beside their targets, which the journal renames."""


@dataclass
class WritePlan:
    """What a run will change in docs/."""

    write: list[str] = field(default_factory=list)
    """Relative paths of the files whose content changes (their new contents are staged, when
    the plan was made for writing; see Staging)."""
    delete: list[str] = field(default_factory=list)
    unchanged: int = 0
    manifest: dict[str, str] = field(default_factory=dict)
    """Every generated path -> the digest of its content, after this run."""
    manifest_changed: bool = True
    inputs: str | None = None
    """Digest of everything the build read (last_build.input_digest), kept in the manifest: it is
    committed together with the pages, so it always describes the pages that are in docs/."""

    @property
    def changed(self) -> bool:
        return bool(self.write or self.delete)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(docs_dir: Path) -> dict[str, str]:
    """Generated path -> the digest of its content, as the last build wrote it."""
    files = _read_manifest_file(docs_dir).get("files", {})
    return {path: (entry["sha"] if isinstance(entry, dict) else entry) for path, entry in files.items()}


def manifest_inputs(docs_dir: Path) -> str | None:
    """The digest of the inputs of the build that wrote docs/ (see WritePlan.inputs)."""
    return _read_manifest_file(docs_dir).get("inputs")


def _read_manifest_file(docs_dir: Path) -> dict:
    path = docs_dir / MANIFEST
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


OWNED = ("fa/search/", "en/search/")
"""Folders of docs/ that build_kb owns whole (the search index, whose file names are digests of
their content): nothing in them is hand-written, and a file there that no build lists (left by an
overtaken build) is removed."""


def _owned(path: str) -> bool:
    return path.startswith(OWNED)


def find_files_in_the_way(paths, sources: dict[str, str], docs_dir: Path, problems: Problems) -> None:
    """Report a hand-written file where a generated page would go (checked before rendering)."""
    previous = read_manifest(docs_dir)
    for path in paths:
        target = docs_dir / path
        if _owned(path):
            continue
        if path not in previous and (target.exists() or target.is_symlink()):
            problems.add(f"docs/{path}", 0, "",
                         f"a hand-written file is in the way of a page generated from {sources[path]}; "
                         "move or rename it (build_kb never overwrites files it did not generate)")


def copy_hand_written(source_docs: Path, docs_dir: Path) -> None:
    """Copy the hand-written pages of source_docs (those build_kb did not generate) into docs_dir,
    a second tree of pages such as the offline copy's. Only files whose bytes differ are written."""
    generated = set(read_manifest(source_docs))
    for path in sorted(source_docs.rglob("*")):
        relative = path.relative_to(source_docs).as_posix()
        parts = path.relative_to(source_docs).parts
        if (not path.is_file() or relative in generated or relative.endswith(TEMP_SUFFIX)
                or any(part.startswith(".kb-") for part in parts) or relative.startswith(MIRRORED + "/")):
            continue
        target = docs_dir / relative
        if not target.is_file() or target.read_bytes() != path.read_bytes():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


class WritePlanner:
    """Builds a WritePlan one rendered page at a time: a page whose bytes differ from docs/ is
    staged at once (so that one page at a time is held in memory), the others are left alone."""

    def __init__(self, docs_dir: Path, inputs: str | None, staging: Staging | None = None):
        self.docs_dir, self.staging = docs_dir, staging
        self._manifest = _read_manifest_file(docs_dir)
        self.previous = read_manifest(docs_dir)
        self.plan = WritePlan(inputs=inputs)

    def add(self, path: str, data: bytes) -> None:
        target = self.docs_dir / path
        self.plan.manifest[path] = digest(data)
        if target.is_file() and not target.is_symlink() and target.read_bytes() == data:
            self.plan.unchanged += 1
            return
        self.plan.write.append(path)
        if self.staging:
            self.staging.put(path, data)

    def finish(self) -> WritePlan:
        """The plan, with the pages of records that no longer exist to delete."""
        plan = self.plan
        owned = {p.relative_to(self.docs_dir).as_posix() for folder in OWNED if (self.docs_dir / folder).is_dir()
                 for p in (self.docs_dir / folder).rglob("*") if p.is_file()}
        plan.delete = sorted(path for path in set(self.previous) | owned if path not in plan.manifest
                             and (self.docs_dir / path).is_file())
        plan.manifest_changed = (not self._manifest or plan.manifest != self.previous
                                 or self._manifest.get("inputs") != plan.inputs)
        return plan


class Staging:
    """New contents in docs/.kb-staging/ (same relative paths as in docs/), until committed.

    Use it as a context manager: unless write_pages committed it, whatever was staged (and
    moved beside its target) is removed when the block ends, however it ends. A killed process
    leaves it for the next run.
    """

    def __init__(self, docs_dir: Path):
        self.docs_dir = docs_dir
        self.folder = docs_dir / STAGING
        self.paths: list[str] = []
        self.committed = False
        self._beside: list[Path] = []
        self._made: list[Path] = []

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc) -> None:
        # An interrupt can come between the commit (the journal in place) and `committed = True`:
        # the staged files are then the journal's, and the next run completes it.
        if not self.committed and not (self.docs_dir / JOURNAL).exists():
            self.discard()

    def put(self, path: str, data: bytes) -> None:
        staged = self.folder / path
        staged.parent.mkdir(parents=True, exist_ok=True)
        _write_file(staged, data)
        self.paths.append(path)

    def move_beside_targets(self) -> list[tuple[str, str]]:
        """Move each staged file to a hidden temporary file beside its target (copied when the
        target is on another file system); (temporary file, target) for the journal."""
        renames = []
        for path in self.paths:
            target = self.docs_dir / path
            self._make_folder(target.parent)
            temp = target.with_name(f".{target.name}{TEMP_SUFFIX}")
            self._beside.append(temp)
            shutil.move(self.folder / path, temp)
            renames.append((temp.relative_to(self.docs_dir).as_posix(), path))
        return renames

    def _make_folder(self, folder: Path) -> None:
        missing = []
        while not folder.exists() and folder != self.docs_dir:
            missing.append(folder)
            folder = folder.parent
        for folder in reversed(missing):
            folder.mkdir()
            self._made.append(folder)

    def discard(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        for temp in self._beside:
            try:
                temp.unlink()
            except OSError:  # never made, or its folder could not be (what stopped the build)
                pass
        for folder in reversed(self._made):  # the deepest first; only the ones it made
            try:
                folder.rmdir()
            except OSError:  # not empty
                pass
        self.paths, self._beside, self._made = [], [], []


def file_stats(docs_dir: Path, paths) -> dict[str, list[int]]:
    """[size, mtime_ns] of each of these files (relative to docs_dir) that exists: what the
    next run's early stop compares with."""
    found = {}
    for path in paths:
        try:
            info = (docs_dir / path).stat()
        except OSError:
            continue
        found[path] = [info.st_size, info.st_mtime_ns]
    return found


def write_pages(plan: WritePlan, docs_dir: Path, staging: Staging) -> None:
    """Apply a plan to docs/ through the journal (see the module docstring). The new contents of
    plan.write must be in staging (a WritePlanner with it)."""
    if not plan.changed and not plan.manifest_changed:
        return
    if staging.paths != plan.write:
        raise RuntimeError("write_pages: the staged contents are not those of the plan")
    manifest = json.dumps({"generator": "build_kb.py", "inputs": plan.inputs,
                           "files": dict(sorted(plan.manifest.items()))},
                          ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    staging.put(MANIFEST, manifest)
    journal = {"rename": staging.move_beside_targets(), "delete": plan.delete}
    staging.put(JOURNAL, json.dumps(journal).encode("utf-8"))
    os.replace(staging.folder / JOURNAL, docs_dir / JOURNAL)  # the commit point
    staging.committed = True
    _apply_journal(docs_dir)


def finish_committed_write(docs_dir: Path) -> bool:
    """Complete a write that was committed and then interrupted. True if there was one."""
    if not (docs_dir / JOURNAL).exists():
        return False
    _apply_journal(docs_dir)
    return True


def recover_interrupted_write(docs_dir: Path) -> bool:
    """Finish a committed write, or discard an uncommitted one. True if there was one."""
    if not docs_dir.is_dir():
        return False
    if finish_committed_write(docs_dir):
        return True
    leftovers = [p for p in docs_dir.rglob(f".*{TEMP_SUFFIX}")]
    for path in leftovers:
        path.unlink()
    staged = (docs_dir / STAGING).exists()
    shutil.rmtree(docs_dir / STAGING, ignore_errors=True)
    return staged or bool(leftovers)


def _apply_journal(docs_dir: Path) -> None:
    journal = json.loads((docs_dir / JOURNAL).read_text(encoding="utf-8"))
    for temp, final in journal["rename"]:
        source = docs_dir / temp
        if source.exists():  # absent when a previous recovery already moved it
            os.replace(source, docs_dir / final)
    for path in journal["delete"]:
        target = docs_dir / path
        target.unlink(missing_ok=True)
        _remove_empty_parents(target.parent, docs_dir)
    _fsync_dir(docs_dir)
    shutil.rmtree(docs_dir / STAGING, ignore_errors=True)
    (docs_dir / JOURNAL).unlink()


def _write_file(path: Path, data: bytes) -> None:
    """Write a file completely (the journal is written only after all of them)."""
    with open(path, "wb") as handle:
        handle.write(data)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover - not all systems can open directories
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_empty_parents(directory: Path, stop: Path) -> None:
    while directory != stop and directory.is_dir() and not any(directory.iterdir()):
        directory.rmdir()
        directory = directory.parent

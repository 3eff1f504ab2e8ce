"""Is docs/ already what a build would write? Then a build with nothing to do stops early.

Two records, written at different moments:

- docs/.kb-manifest.json holds a digest of everything the build that wrote docs/ read: the bytes
  of each record file and of kb.yml, and the code, templates, labels, schemas and library versions
  that shape the output (running_code, data_files). It is committed through the journal together
  with the pages (journal.py), so it describes the pages in docs/ even when two builds race.
- .kb-cache/last-build.json (git-ignored; delete it at will) holds the size and time of every
  generated file, and of the manifest, as the last successful build left them. It is removed
  before a build starts changing docs/, so an interrupted build is never taken for a finished one.

When the inputs now have the manifest's digest and every generated file is as that build left
it, the pages would come out byte-identical: the build stops before parsing a single record. Any
difference (an edited record, a new or deleted file, a page edited or removed by hand, an
interrupted write) means a full run, which renders every page and writes those whose bytes
changed. A page
edited by hand without changing its size or time (which only a deliberate `touch -r` does) is
not noticed.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import platform
import unicodedata
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: builds are not serialised there
    fcntl = None

from ..editions import EDITIONS, edition_files
from ..records.loading import record_name
from .journal import JOURNAL, MANIFEST, file_stats, manifest_inputs

VERSION = 4
FILE = "last-build.json"
CODE_DIR = Path(__file__).resolve().parents[1]
SCHEMA_DIR = CODE_DIR.parent / "schema"
LIBRARIES = ("PyYAML", "Jinja2", "MarkupSafe", "python-slugify", "jdatetime", "pagefind", "pagefind-bin")
"""Libraries whose output ends up in the pages (front matter, escaping, anchors, Solar Hijri dates,
the search index)."""


@lru_cache(maxsize=None)
def running_code() -> str:
    """kb/**/*.py as this process runs it, with Python's and the libraries' versions. Taken once,
    when the pipeline is imported: a change to the code takes effect only when the process
    restarts, and the digest must say which code wrote the pages."""
    sha = hashlib.sha1(f"{platform.python_version()} {unicodedata.unidata_version}".encode())
    for library in LIBRARIES:
        sha.update(f" {library} {_installed(library)}".encode())
    for path in sorted(CODE_DIR.rglob("*.py")):
        sha.update(path.relative_to(CODE_DIR).as_posix().encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()


def data_files() -> str:
    """Templates, labels and schemas, which a running server reads again after an edit."""
    sha = hashlib.sha1()
    paths = [p for p in sorted(CODE_DIR.rglob("*")) if p.suffix in (".j2", ".yaml", ".json") and p.is_file()]
    for path in paths + sorted(SCHEMA_DIR.glob("*.json")):
        sha.update(path.relative_to(CODE_DIR.parent).as_posix().encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()


def _installed(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def editions_digest(root: Path) -> str:
    """The digest of the published editions: what each one says (edition.json, its export) and the
    size of every file of its fixed copy (a copy is written once; a file changed by hand shows)."""
    sha = hashlib.sha1()
    folder = root / EDITIONS
    for path in sorted(folder.glob("*/edition.json")):
        sha.update(path.read_bytes())
        export = path.parent / "site" / "kb.json"
        sha.update(export.read_bytes() if export.is_file() else b"")
    for path in edition_files(root):
        sha.update(f"{path.relative_to(folder).as_posix()}:{path.stat().st_size}\0".encode())
    return sha.hexdigest()


def read_files(files: list[tuple[Path, str]]) -> dict[Path, bytes] | None:
    """The bytes of each record file (loading parses them); None when one cannot be read."""
    try:
        return {path: path.read_bytes() for path, _ in files}
    except OSError:
        return None


def input_digest(root: Path, contents: dict[Path, bytes] | None, settings: Path,
                 extra: tuple[str, ...] = ()) -> str | None:
    """A digest of everything a build reads: the code, templates, labels, schemas and library
    versions, kb.yml, every record file, and extra (the build's own options); None when a file
    cannot be read."""
    if contents is None:
        return None
    sha = hashlib.sha1(f"{VERSION}:{running_code()}:{data_files()}:{extra}".encode())
    try:
        sha.update(hashlib.sha1(settings.read_bytes()).digest())
    except OSError:
        return None
    for path, data in contents.items():
        sha.update(f"\0{record_name(path, root)}\0{hashlib.sha1(data).hexdigest()}".encode())
    return sha.hexdigest()


class LastBuild:
    """What the last successful build of one docs/ folder left there (see the module docstring)."""

    def __init__(self, folder: Path, docs: Path):
        # One file per docs/ folder: the site's and the offline copy's pages are built apart.
        tree = hashlib.sha1(str(docs).encode()).hexdigest()[:10]
        self.path = folder / (FILE if docs.name == "docs" else f"last-build-{tree}.json")
        self.stats: dict[str, list[int]] = {}
        """Generated path (and the manifest) -> [size, mtime_ns] as the last build left it."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("version") == VERSION:
            self.stats = data.get("stats", {})

    @property
    def pages(self) -> int:
        return len(self.stats) - (MANIFEST in self.stats)

    def still_current(self, inputs: str | None, docs: Path) -> bool:
        """Would a build now write exactly what is in docs/ already?"""
        return (inputs is not None and MANIFEST in self.stats and not (docs / JOURNAL).exists()
                and file_stats(docs, self.stats) == self.stats and manifest_inputs(docs) == inputs)

    def forget(self) -> None:
        """Called before docs/ changes: until remember(), nothing is known to be current."""
        self.path.unlink(missing_ok=True)

    def remember(self, docs: Path, generated) -> None:
        """Record the files a successful build leaves in docs/."""
        stats = file_stats(docs, [*generated, MANIFEST])
        if stats == self.stats and self.path.exists():
            return
        self.stats = stats
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_suffix(".tmp")
        temp.write_text(json.dumps({"version": VERSION, "stats": stats}), encoding="utf-8")
        os.replace(temp, self.path)


@contextmanager
def one_build_at_a_time(cache_folder: Path):
    """Hold the project's build lock (.kb-cache/build.lock) while the block runs.

    make serve's watcher and a build started in a terminal are separate processes. Run at the
    same time, an older build could commit its pages after a newer one and then record them as
    current. The lock is released when the process ends, however it ends. A checkout that may not
    be written to builds without it (it has nothing to write, or fails where it writes).
    """
    handle = _open_lock(cache_folder / "build.lock") if fcntl is not None else None
    if handle is None:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _open_lock(path: Path):
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path, "a+b")
    except OSError:
        pass
    try:
        return open(path, "rb")  # flock works on a file opened for reading too
    except OSError:
        return None

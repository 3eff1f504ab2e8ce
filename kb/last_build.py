"""Is docs/ already what a build would write? Then a build with nothing to do stops early.

Two records, written at different moments:

- docs/.kb-manifest.json holds a digest of everything the build that wrote docs/ read: the bytes
  of each record file and of kb.yml, and the code, templates, labels, schemas and library versions
  that shape the output (fingerprints.code_version). It is committed through the journal together
  with the pages (writing.py), so it describes the pages in docs/ even when two builds race.
- .kb-cache/last-build.json (git-ignored; delete it at will) holds the size and time of every
  generated file, and of the manifest, as the last successful build left them. It is removed
  before a build starts changing docs/, so an interrupted build is never taken for a finished one.

When the inputs now have the manifest's digest and every generated file is as that build left
it, the pages would come out byte-identical: the build stops before parsing a single record. Any
difference (an edited record, a new or deleted file, a page edited or removed by hand, an
interrupted write) means a full run, which then checks and renders only what changed. A page
edited by hand without changing its size or time (which only a deliberate `touch -r` does) is
not noticed.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: builds are not serialised there
    fcntl = None

from .fingerprints import code_version, data_files
from .loading import record_name
from .writing import JOURNAL, MANIFEST, file_stats, manifest_inputs

VERSION = 3
FILE = "last-build.json"


def file_digests(files: list[tuple[Path, str]]) -> dict[Path, str] | None:
    """sha1 of each record file's bytes (loading takes cached records by it); None when one
    cannot be read."""
    try:
        return {path: hashlib.sha1(path.read_bytes()).hexdigest() for path, _ in files}
    except OSError:
        return None


def input_digest(root: Path, digests: dict[Path, str] | None, settings: Path, fresh: bool = False) -> str | None:
    """A digest of everything a build reads, from the records' digests; None when a file cannot
    be read.

    fresh reads the templates, labels and schemas again instead of using the digest taken at the
    start of the run: at its end, a build checks that nothing it read was saved meanwhile.
    """
    if digests is None:
        return None
    if fresh:
        data_files.cache_clear()
    sha = hashlib.sha1(f"{VERSION}:{code_version()}".encode())
    try:
        sha.update(hashlib.sha1(settings.read_bytes()).digest())
    except OSError:
        return None
    for path, file_digest in digests.items():
        sha.update(f"\0{record_name(path, root)}\0{file_digest}".encode())
    return sha.hexdigest()


class LastBuild:
    def __init__(self, folder: Path):
        self.path = folder / FILE
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

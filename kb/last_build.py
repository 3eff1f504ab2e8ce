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
from pathlib import Path

from .fingerprints import code_version
from .loading import record_name
from .writing import JOURNAL, MANIFEST, file_stats, manifest_inputs

VERSION = 2
FILE = "last-build.json"


def input_digest(root: Path, files: list[tuple[Path, str]], settings: Path) -> str | None:
    """A digest of everything a build reads; None when a file cannot be read."""
    sha = hashlib.sha1(f"{VERSION}:{code_version()}".encode())
    try:
        sha.update(hashlib.sha1(settings.read_bytes()).digest())
        for path, kind in files:
            sha.update(f"\0{record_name(path, root)}\0{kind}\0".encode())
            sha.update(hashlib.sha1(path.read_bytes()).digest())
    except OSError:
        return None
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

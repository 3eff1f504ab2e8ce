"""What the last successful build read and wrote, so that a build with nothing to do stops early.

Kept in .kb-cache/last-build.json beside the record cache (git-ignored; delete it at will):

- a digest of every input: the bytes of each record file and of kb.yml, and the code, templates,
  labels and schemas that shape the output (fingerprints.code_version);
- the size and time of every file the build generated, and of docs/.kb-manifest.json.

When the inputs have the same digest and every generated file is as that build left it, the
pages would come out byte-identical: the build stops before parsing a single record. Any
difference (an edited record, a new or deleted file, a page edited or removed by hand, an
interrupted write) means a full run, which then checks and renders only what changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .fingerprints import code_version
from .writing import JOURNAL, MANIFEST, file_stats

VERSION = 1
FILE = "last-build.json"


def input_digest(root: Path, files: list[tuple[Path, str]], settings: Path) -> str | None:
    """A digest of everything a build reads; None when kb.yml cannot be read."""
    sha = hashlib.sha1(f"{VERSION}:{code_version()}".encode())
    try:
        sha.update(hashlib.sha1(settings.read_bytes()).digest())
        for path, kind in files:
            sha.update(f"\0{path.relative_to(root).as_posix()}\0{kind}\0".encode())
            sha.update(hashlib.sha1(path.read_bytes()).digest())
    except OSError:
        return None
    return sha.hexdigest()


class LastBuild:
    def __init__(self, folder: Path):
        self.path = folder / FILE
        self.inputs: str | None = None
        self.stats: dict[str, list[int]] = {}
        """Generated path (and the manifest) -> [size, mtime_ns] as the last build left it."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(data, dict) and data.get("version") == VERSION:
            self.inputs, self.stats = data.get("inputs"), data.get("stats", {})

    @property
    def pages(self) -> int:
        return len(self.stats) - (MANIFEST in self.stats)

    def still_current(self, inputs: str | None, docs: Path) -> bool:
        """Would a build now write exactly what is in docs/ already?"""
        return (inputs is not None and inputs == self.inputs and MANIFEST in self.stats
                and not (docs / JOURNAL).exists() and file_stats(docs, self.stats) == self.stats)

    def remember(self, inputs: str | None, docs: Path, generated) -> None:
        """Record a successful build: its inputs and the files it leaves in docs/."""
        stats = file_stats(docs, [*generated, MANIFEST])
        if inputs == self.inputs and stats == self.stats:
            return
        self.inputs, self.stats = inputs, stats
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_suffix(".tmp")
        temp.write_text(json.dumps({"version": VERSION, "inputs": inputs, "stats": stats}), encoding="utf-8")
        os.replace(temp, self.path)

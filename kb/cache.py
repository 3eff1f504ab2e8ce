"""A cache of parsed records, so that a file that has not changed is not parsed again.

Kept in .kb-cache/ beside concepts/ (git-ignored; delete it at will). An entry is keyed by the
record's path and the digest of its bytes, and holds what loading produced for it (data and line
numbers). Only records that passed validation are cached, so a cached record is not checked
again; the cache is dropped whenever the code or schemas that read or check records change. It also keeps the size and time of each generated file (see writing.py).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .loading import RawRecord

VERSION = 2


def _loader_version() -> str:
    """Changes whenever the code or schemas that read and check a record change."""
    here = Path(__file__).resolve().parent
    sha = hashlib.sha1()
    for path in [here / name for name in ("loading.py", "cache.py", "schema.py", "validation.py",
                                          "orthography.py")] + sorted((here.parent / "schema").glob("*.json")):
        sha.update(path.read_bytes())
    return sha.hexdigest()


class RecordCache:
    def __init__(self, folder: Path):
        self.folder = folder
        self.records: dict[str, dict] = {}
        self.stats: dict[str, list[int]] = {}
        self._version = f"{VERSION}:{_loader_version()}"
        path = folder / "records.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if data.get("version") == self._version:
            self.records = data.get("records", {})
            self.stats = data.get("stats", {})

    def get(self, rel: str, sha: str) -> RawRecord | None:
        entry = self.records.get(rel)
        if not entry or entry["sha"] != sha:
            return None
        return RawRecord(rel, entry["kind"], entry["data"],
                         {tuple(path): line for path, line in entry["lines"]},
                         {tuple(path): text for path, text in entry["scalars"]}, sha, checked=True)

    def keep(self, records) -> None:
        """Remember these (valid) records; forget every other."""
        self.records = {raw.path: {"sha": raw.digest, "kind": raw.kind, "data": raw.data,
                                   "lines": [[list(p), line] for p, line in raw.lines.items()],
                                   "scalars": [[list(p), text] for p, text in raw.scalars.items()]}
                        for raw in records}

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / "records.json"
        temp = path.with_suffix(".tmp")
        temp.write_text(json.dumps({"version": self._version, "records": self.records, "stats": self.stats},
                                   ensure_ascii=False), encoding="utf-8")
        os.replace(temp, path)

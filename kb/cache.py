"""A cache of parsed records, so that a file that has not changed is not parsed again.

Kept in .kb-cache/ beside concepts/ (git-ignored; delete it at will). An entry is keyed by the
record's path and the digest of its bytes, and holds what loading produced for it (data and line
numbers). Only records that passed validation are cached, so a cached record is not checked
again; the cache is dropped whenever the code or schemas that read or check records change.
It is read only when a record must be loaded: a build with nothing to do (last_build.py) never
opens it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .loading import RawRecord

VERSION = 3


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
        self._records: dict[str, dict] | None = None
        self._version = f"{VERSION}:{_loader_version()}"

    @property
    def records(self) -> dict[str, dict]:
        """Path -> entry, read from disk on first use."""
        if self._records is None:
            self._records = {}
            try:
                data = json.loads((self.folder / "records.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = None
            if isinstance(data, dict) and data.get("version") == self._version:
                self._records = data.get("records", {})
        return self._records

    def is_current(self, records) -> bool:
        """Does the cache hold exactly these records?"""
        return len(self.records) == len(records) and all(
            self.records.get(raw.path, {}).get("sha") == raw.digest for raw in records)

    def get(self, rel: str, sha: str) -> RawRecord | None:
        entry = self.records.get(rel)
        if not entry or entry["sha"] != sha:
            return None
        return RawRecord(rel, entry["kind"], entry["data"],
                         {tuple(path): line for path, line in entry["lines"]},
                         {tuple(path): text for path, text in entry["scalars"]}, sha, checked=True)

    def keep(self, records) -> None:
        """Remember these (valid) records; forget every other."""
        self._records = {raw.path: {"sha": raw.digest, "kind": raw.kind, "data": raw.data,
                                    "lines": [[list(p), line] for p, line in raw.lines.items()],
                                    "scalars": [[list(p), text] for p, text in raw.scalars.items()]}
                         for raw in records}

    def save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / "records.json"
        temp = path.with_suffix(".tmp")
        with open(temp, "w", encoding="utf-8") as handle:  # a record at a time: the whole is large
            handle.write(f'{{"version": {json.dumps(self._version)}, "records": {{')
            for i, (rel, entry) in enumerate(self.records.items()):
                handle.write(f'{", " if i else ""}{json.dumps(rel, ensure_ascii=False)}: '
                             f'{json.dumps(entry, ensure_ascii=False)}')
            handle.write("}}")
        os.replace(temp, path)

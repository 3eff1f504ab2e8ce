"""The interface words of the generated pages (render/labels.yaml), in both languages.

A new interface word is a new key in labels.yaml with its fa and en text. The file is read
again whenever it changes, so an edit takes effect at the next build of a running server.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml

from ..languages import CODES

LABELS_FILE = Path(__file__).resolve().parent / "labels.yaml"


class Words:
    """The interface words in one language: words('definitions') -> 'Definitions'."""

    def __init__(self, labels: dict[str, dict[str, str]], lang: str):
        self._labels, self.lang = labels, lang

    def __call__(self, key: str, lang: str | None = None) -> str:
        return self._labels[key][lang or self.lang]


def read_labels(path: Path = LABELS_FILE) -> dict[str, dict[str, str]]:
    """Every label, each with both languages (a missing one is an error, not a blank)."""
    stat = os.stat(path)
    return _read(path, stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=4)
def _read(path: Path, size: int, mtime: int) -> dict[str, dict[str, str]]:
    labels = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in labels.items():
        missing = [lang for lang in CODES if lang not in value]
        if missing:
            raise ValueError(f"{path}: label '{key}' has no {', '.join(missing)} text")
    return labels

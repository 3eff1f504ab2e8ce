"""Problems found in records, collected and reported together."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one record, located as precisely as we can."""

    path: str
    """The record file, relative to the repository root."""
    line: int
    """1-based line number; 0 when the whole file is meant."""
    key: str
    """Key path inside the record, such as `definitions[0].text.en`; empty for the whole file."""
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.key}: {self.message}" if self.key else f"{where}: {self.message}"


@dataclass
class Problems:
    """Collects problems from every stage, then reports them sorted."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, key: str, message: str) -> None:
        self.items.append(Problem(path, line, key, message))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items))

    def summary(self, record_count: int) -> str:
        """'2 errors in 1 of 9 records; nothing written.' Files in the way in docs/ are counted apart."""
        problems = self.sorted()
        files = {p.path for p in problems}
        pages = {path for path in files if path.startswith("docs/")}
        where = []
        if files - pages:
            where.append(f"{len(files - pages)} of {record_count} {'record' if record_count == 1 else 'records'}")
        if pages:
            where.append(f"{len(pages)} {'file' if len(pages) == 1 else 'files'} in docs/")
        noun = "error" if len(problems) == 1 else "errors"
        return f"{len(problems)} {noun} in {' and '.join(where)}; nothing written."


def format_key(path: Iterable[object]) -> str:
    """Format a key path: ('definitions', 0, 'text', 'en') -> 'definitions[0].text.en'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """A "; did you mean 'x'?" suffix, or '' when nothing is close."""
    close = difflib.get_close_matches(word, sorted(candidates), n=1, cutoff=0.75)
    return f"; did you mean '{close[0]}'?" if close else ""

"""kb.yml: the knowledge base as a whole (its name, editors, edition and address), checked like a record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .loading import read_record, record_name
from .model import Bilingual, SiteSettings
from .problems import Problems
from .schema import check_schema
from .validation import check_characters


def load_settings(path: Path, root: Path, problems: Problems) -> SiteSettings | None:
    """Read kb.yml: the name and edition every page and citation shows."""
    rel = record_name(path, root)
    if not path.is_file():
        problems.add(rel, 0, "", "settings file not found; copy kb.yml from the repository")
        return None
    raw = read_record(path, rel, "settings", problems)
    if raw is None or not (check_schema(raw, problems) & check_characters(raw, problems)):
        return None
    data = raw.data
    try:
        date = dt.date.fromisoformat(data["edition_date"])
    except ValueError:
        problems.add(rel, raw.line(("edition_date",)), "edition_date",
                     f"'{data['edition_date']}' is not a real date")
        return None
    return SiteSettings(name=Bilingual(**data["name"]), editors=Bilingual(**data["editors"]),
                        edition=data["edition"], edition_date=date, site_url=data["site_url"],
                        lines={key: raw.line((key,)) for key in data})

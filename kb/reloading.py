"""Templates, labels and schemas edited while `make serve` runs take effect at the next build.

The server runs the pipeline again in the same process after each edit, and the pipeline keeps
what it builds from these files in caches: the labels, the compiled schema checks, and the digest
of these files in every page's fingerprint (Jinja itself reloads a template whose file changed).
Before each run, a cache whose files changed size or time since the last run is emptied. Python
code is the exception: after editing kb/*.py, restart the server (fingerprints.running_code keeps
the digest of the code that is running, so the pages the old code wrote are rebuilt after the
restart).
"""

from __future__ import annotations

from pathlib import Path

from . import fingerprints, page_renderer, schema
from .writing import file_stats

_last_seen: dict[str, dict] = {}


def _sources() -> dict[str, tuple[list[Path], list]]:
    """Name -> (the files, the caches built from them)."""
    schemas = sorted(schema.SCHEMA_DIR.glob("*.json"))
    return {
        "fingerprints": (fingerprints.data_file_paths(), [fingerprints.data_files]),
        "labels": ([page_renderer.LABELS_FILE], [page_renderer.get_labels]),
        "schemas": (schemas, [schema.get_validator, schema.get_fast_check]),
    }


def reload_changed_sources() -> None:
    """Empty the caches built from files that changed since the last call."""
    for name, (paths, caches) in _sources().items():
        now = file_stats(Path("/"), paths)  # size and time of each file (paths are absolute)
        if _last_seen.get(name, now) != now:
            for cache in caches:
                cache.cache_clear()
        _last_seen[name] = now

"""The published editions' fixed copies, served by the current site: docs/fa/editions/<edition>/.

The copies are kept in editions/<edition>/site/ (publish.py writes them once, and nothing writes
them again). The site serves them from docs/, so each build makes docs/fa/editions/ the same
tree: a file is linked (a hard link where the file system allows one, else copied, always to a
temporary name first and then renamed, so no reader sees half a file), files no edition has are
removed. An unchanged file costs one stat. The offline copy holds the current edition only.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..editions import EDITIONS, edition_files
from .journal import MIRRORED, TEMP_SUFFIX


def mirror_editions(root: Path, docs: Path) -> int:
    """Make docs/fa/editions/ hold exactly the editions' copies; returns how many files it wrote."""
    target_root = docs / MIRRORED  # the Persian site is the site's root
    wanted: dict[Path, Path] = {}
    for source in edition_files(root):
        edition, _, *rest = source.relative_to(root / EDITIONS).parts  # <edition>/site/<path>
        wanted[target_root / edition / Path(*rest)] = source
    written = 0
    for target, source in wanted.items():
        if _same(target, source):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".{target.name}{TEMP_SUFFIX}")
        temp.unlink(missing_ok=True)
        try:
            os.link(source, temp)
        except OSError:  # another file system, or links not allowed
            shutil.copyfile(source, temp)
        os.replace(temp, target)
        written += 1
    if target_root.is_dir():
        for path in sorted(target_root.rglob("*"), reverse=True):  # files first, then emptied folders
            if path.is_file() and path not in wanted:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return written


def _same(target: Path, source: Path) -> bool:
    try:
        a, b = target.stat(), source.stat()
    except OSError:
        return False
    return (a.st_ino == b.st_ino and a.st_dev == b.st_dev) or \
        (a.st_size == b.st_size and target.read_bytes() == source.read_bytes())

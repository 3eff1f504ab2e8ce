"""Publish an edition: `make edition` (python -m kb.editions.publish).

Raise the edition (and its date) in kb.yml, then run this once. It builds the whole site as the
records, templates and code make it now, in both languages, as the fixed copy of that edition,
and keeps it in editions/<edition>/: site/ (the built pages, served at editions/<edition>/ by
every later build) and edition.json. Nothing writes there again. It refuses an edition that is
not after the latest published one, and leaves editions/ as it was when anything fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from ..pipeline import Paths, run
from ..records.problems import Problems
from ..records.settings import load_settings
from . import EDITIONS, tree_digest

WORK = Path("build") / "edition"
"""Where the copy is built (mkdocs.edition.yml reads its pages from WORK/docs)."""
LEFT_OUT = ("sitemap.xml", "sitemap.xml.gz", "downloads/diplomacy-kb-offline.zip", "assets/javascripts/lunr/",
            "assets/javascripts/workers/")
"""Not part of a fixed copy (in either language's site): the sitemaps (of the current site), the
offline archive (made from the current site), the search engine Material ships but the site does
not use, and source maps (*.map)."""


def publish(root: Path) -> int:
    """Freeze the edition kb.yml names; 0 when it was published."""
    paths = Paths.for_root(root)
    problems = Problems()
    settings = load_settings(paths.settings, paths.root, problems)
    if settings is None:
        return _fail(problems, 0)
    target = root / EDITIONS / settings.edition
    if target.exists():
        print(f"kb.yml: edition: edition {settings.edition} is published already ({target.relative_to(root)}); "
              "raise the edition in kb.yml to publish a new one", file=sys.stderr)
        return 1
    work = root / WORK
    shutil.rmtree(work, ignore_errors=True)
    result = run(Paths.for_root(root, docs=work / "docs"), hand_written=root / "docs", archive=True)
    if not result.ok:
        return _fail(result.problems, result.record_count)
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", "mkdocs.edition.yml",
                           "-d", str(work / "site")], cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if done.returncode != 0:
        print("make edition: the site could not be built; nothing was published", file=sys.stderr)
        return 1
    staging = root / EDITIONS / f".{settings.edition}.kbtmp"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(work / "site", staging / "site", ignore=_left_out(work / "site"))
    (staging / "edition.json").write_text(json.dumps(
        {"edition": settings.edition, "date": settings.edition_date.isoformat(),
         "published": dt.date.today().isoformat(), "by": "make edition (kb/editions/publish.py)",
         "site_digest": tree_digest(staging / "site")},
        indent=1) + "\n", encoding="utf-8")
    os.replace(staging, target)  # the edition exists whole, or not at all
    pages = sum(1 for _ in (target / "site").rglob("*.html"))
    print(f"Published edition {settings.edition} ({settings.edition_date}): {pages} pages in "
          f"{target.relative_to(root)}/site. Commit editions/{settings.edition}/.")
    return 0


def _left_out(site: Path):
    def ignore(folder: str, names: list[str]) -> list[str]:
        relative = Path(folder).relative_to(site).as_posix()
        prefix = "" if relative == "." else relative + "/"
        prefix = prefix.removeprefix("en/")  # the English site has the same files, in en/
        return [n for n in names if f"{prefix}{n}" in LEFT_OUT or f"{prefix}{n}/" in LEFT_OUT or n.endswith(".map")]
    return ignore


def _fail(problems: Problems, count: int) -> int:
    for problem in problems.sorted():
        print(problem, file=sys.stderr)
    print(problems.summary(count).replace("nothing written", "nothing published"), file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Publish the edition kb.yml names as a fixed copy in editions/.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project folder (default: here)")
    args = parser.parse_args(argv)
    return publish(args.root.resolve())


if __name__ == "__main__":
    sys.exit(main())

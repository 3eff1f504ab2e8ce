"""What editions cost: build time and size as a knowledge base gains editions.

    python bench/editions.py [--n 1000] [--real] [--out bench/editions.md]

In a throwaway copy of the project, with bench/generate.py's synthetic records (--n) or the
repository's own (--real, starting from its published editions), it publishes editions one after
another (each after a small change to one record, kb.yml's edition raised) until there are three,
and after each measures `make edition` and `make site` (the whole site, both languages, the
offline copy), the size of site/ and of editions/, the bytes of editions/' distinct files (git
stores a file once however many editions hold it) and what git's packed objects take once the
editions are committed one by one (what a clone downloads for them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate  # noqa: E402
from kb.editions import load_history  # noqa: E402
from tests.support.project import make_project  # noqa: E402

ENV_MAKE = ["make", "-o", ".venv/.ready"]


def run(project: Path, *target: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([*ENV_MAKE, *target, f"PY={sys.executable}"], cwd=project, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"})
    if done.returncode:
        raise SystemExit(f"make {' '.join(target)} failed in {project}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return time.perf_counter() - start


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def git_size(folder: Path) -> int:
    """The bytes git stores for folder's files before compression: each distinct content once."""
    blobs = {}
    for path in (p for p in folder.rglob("*") if p.is_file()) if folder.exists() else ():
        data = path.read_bytes()
        blobs[hashlib.sha256(data).hexdigest()] = len(data)
    return sum(blobs.values())


def git_packed_size(folder: Path) -> int:
    """The bytes of folder's files once committed one edition at a time and packed by git (zlib
    and deltas between similar files, as a clone receives them)."""
    if not folder.exists():
        return 0
    with tempfile.TemporaryDirectory(prefix="kb-editions-git-") as repo:
        git = ["git", "-C", repo, "-c", "user.name=bench", "-c", "user.email=bench@127.0.0.1"]
        subprocess.run([*git, "init", "-q"], check=True)
        for edition in sorted(p for p in folder.iterdir() if p.is_dir()):
            shutil.copytree(edition, Path(repo) / edition.name)
            subprocess.run([*git, "add", "-A"], check=True)
            subprocess.run([*git, "commit", "-qm", edition.name], check=True)
        subprocess.run([*git, "gc", "-q", "--aggressive"], check=True)
        return sum(p.stat().st_size for p in (Path(repo) / ".git" / "objects").rglob("*") if p.is_file())


def raise_edition(project: Path, edition: str, date: dt.date) -> None:
    kb = project / "kb.yml"
    text = re.sub(r'(?m)^edition: .*$', f'edition: "{edition}"', kb.read_text(encoding="utf-8"))
    text = re.sub(r'(?m)^edition_date: .*$', f'edition_date: "{date.isoformat()}"', text)
    kb.write_text(text, encoding="utf-8")


def change_a_record(project: Path, round_number: int) -> None:
    """Reword one English definition (the first record's first), as an editor's revision would."""
    for record in sorted((project / "concepts").glob("*.yaml")):
        text = record.read_text(encoding="utf-8")
        start = text.find("\ndefinitions:")
        if start < 0:
            continue
        head, rest = text[:start], text[start:]
        edited = re.sub(r"(?m)^(\s+en: (?:>-\n\s+)?)(\w)", rf"\1(revised {round_number}) \2", rest, count=1)
        if edited != rest:
            record.write_text(head + edited, encoding="utf-8")
            return
    raise SystemExit("no record to change")


def measure(project: Path) -> dict:
    figures = {"site_s": run(project, "site")}
    figures.update(site_mb=size(project / "site") / 1e6, editions_mb=size(project / "editions") / 1e6,
                   editions_git_mb=git_size(project / "editions") / 1e6,
                   editions_packed_mb=git_packed_size(project / "editions") / 1e6,
                   html_pages=sum(1 for _ in (project / "site").rglob("*.html")))
    return figures


def next_edition(project: Path) -> tuple[str, dt.date]:
    latest = load_history(project).latest
    if latest is None:
        return "1.0", dt.date(2026, 1, 1)
    major, minor = latest.edition.split(".")[:2]
    return f"{major}.{int(minor) + 1}", latest.date + dt.timedelta(days=1)


def bench(project: Path, label: str, target: int = 3) -> list[dict]:
    rows = [{"label": label, "editions": len(load_history(project).editions), "edition_s": None, **measure(project)}]
    print(json.dumps(rows[-1]), flush=True)
    while len(load_history(project).editions) < target:
        if load_history(project).editions:  # a new edition has new text
            change_a_record(project, len(rows))
        edition, date = next_edition(project)
        raise_edition(project, edition, date)
        seconds = run(project, "edition")
        rows.append({"label": label, "editions": len(load_history(project).editions), "edition_s": seconds,
                     **measure(project)})
        print(json.dumps(rows[-1]), flush=True)
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| knowledge base | editions | `make edition` | `make site` | site/ | editions/ on disk "
             "| editions/, distinct files | editions/ packed by git |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        edition = f"{r['edition_s']:.1f} s" if r["edition_s"] else "–"
        packed = f"{r['editions_packed_mb']:.2f} MB" if "editions_packed_mb" in r else "–"
        lines.append(f"| {r['label']} | {r['editions']} | {edition} | {r['site_s']:.1f} s | {r['site_mb']:.1f} MB "
                     f"| {r['editions_mb']:.1f} MB | {r['editions_git_mb']:.1f} MB | {packed} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, action="append", help="synthetic concepts (repeatable)")
    parser.add_argument("--real", action="store_true", help="the repository's records and editions")
    parser.add_argument("--out", type=Path, default=Path("bench/editions.md"))
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="kb-editions-") as scratch:
        scratch = Path(scratch)
        if args.real:
            rows += bench(make_project(scratch / "real"), "this repository")
        for n in args.n or []:
            source = scratch / f"records-{n}"
            generate(source, n)
            project = make_project(scratch / f"project-{n}", records=source / "concepts", settings=source / "kb.yml")
            rows += bench(project, f"bench/, N = {n:,}")
    text = (f"# Editions: build time and size\n\n`python bench/editions.py {' '.join(sys.argv[1:])}`, "
            f"{dt.date.today().isoformat()}.\n\n{table(rows)}\n")
    args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

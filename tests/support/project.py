"""Throwaway copies of the project, so tests never write into the repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
PROJECT_FILES = ["mkdocs.yml", "mkdocs.en.yml", "mkdocs.offline.yml", "mkdocs.en.offline.yml", "mkdocs.edition.yml",
                 "mkdocs.en.edition.yml", "build_kb.py", "kb.yml", "Makefile"]
PROJECT_DIRS = ["hooks", "overrides", "kb", "schema"]


@cache
def repo_build():
    """The repository's records checked, linked and planned (nothing written), once per session.

    Tests share the result and must not change it; they never write to the repository's docs/."""
    from kb.pipeline import Paths, run
    return run(Paths.for_root(REPO), write=False)


@cache
def repo_settings():
    """The repository's kb.yml, read once per session."""
    from kb.pipeline import Paths
    from kb.records.problems import Problems
    from kb.records.settings import load_settings
    paths = Paths.for_root(REPO)
    return load_settings(paths.settings, paths.root, Problems())


def hand_written_docs(docs: Path) -> list[Path]:
    """Files in docs/ that build_kb did not generate."""
    manifest = docs / ".kb-manifest.json"
    generated = set(json.loads(manifest.read_text())["files"]) if manifest.exists() else set()
    return sorted(p for p in docs.rglob("*") if p.is_file()
                  and p.relative_to(docs).as_posix() not in generated
                  and not any(part.startswith(".kb-") for part in p.relative_to(docs).parts)
                  and p.relative_to(docs).parts[1:2] != ("editions",)  # the editions' copies, served
                  and not p.name.endswith(".kbtmp"))


def make_project(target: Path, records: Path | None = None, settings: Path | None = None) -> Path:
    """Copy the site machinery into target, with the repository's records or the given ones.

    The published editions (editions/) come along only with the repository's records: other
    records are not the text those editions fixed."""
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        shutil.copy2(REPO / name, target / name)
    for name in PROJECT_DIRS + (["editions"] if records is None else []):
        shutil.copytree(REPO / name, target / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copytree(records or REPO / "concepts", target / "concepts")
    if settings:
        shutil.copy2(settings, target / "kb.yml")
    for path in hand_written_docs(REPO / "docs"):
        destination = target / "docs" / path.relative_to(REPO / "docs")
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
    return target


def _env() -> dict:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run_make(project: Path, target: str, makefile: str | None = None) -> subprocess.CompletedProcess:
    """`make target` in project (with makefile instead of its Makefile, if given), run by this
    Python and without reinstalling the virtual environment; its output is captured."""
    command = ["make", *(["-f", makefile] if makefile else []), "-o", ".venv/.ready", target,
               f"PY={sys.executable}"]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, env=_env())


def publish_site(project: Path) -> Path:
    """What `make site` publishes (the site and its offline archive), built by the Makefile itself."""
    result = run_make(project, "site")
    if result.returncode != 0:
        raise AssertionError(f"make site failed:\n{result.stdout}\n{result.stderr}")
    return project / "site"

#!/usr/bin/env python3
"""The one-record-change figures of this tree against an earlier commit's, on the same machine in
the same hour (the machine is shared, and its speed varies more between days than the builds
differ): N = 1,000 records, each tree's own project, the same edits in turn.

    python bench/against.py c954356          # writes bench/against.json; run.py's report reads it

For each tree: build_kb from empty once (not timed), then, alternating between the trees for a few
rounds, build_kb after changing one record's English title and after changing one definition's
Persian text; then live reload (`mkdocs serve --dirty`) once per tree. Also the time the new tree
spends in Pagefind for one build (its two runs, timed in a child process with cProfile).
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.generate import generate  # noqa: E402
from bench.run import _env, change_one_definition, change_one_record, live_reload, measure  # noqa: E402

ROUNDS = 3

_PROFILE = """
import cProfile, pstats, sys
sys.argv = ["build_kb.py", "--quiet"]
sys.path.insert(0, ".")
import runpy
profile = cProfile.Profile()
profile.enable()
try:
    runpy.run_path("build_kb.py", run_name="__main__")
except SystemExit:
    pass
profile.disable()
stats = pstats.Stats(profile)
total = max(v[3] for v in stats.stats.values())
pagefind = sum(v[3] for k, v in stats.stats.items() if k[2] == "pagefind_bundle")
print(f"{total:.3f} {pagefind:.3f}")
"""


def tree_at(commit: str, target: Path) -> Path:
    """The files of a commit (git archive: no worktree is made or touched)."""
    data = subprocess.run(["git", "archive", "--format=tar", commit], cwd=REPO, check=True,
                          capture_output=True).stdout
    target.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        archive.extractall(target, filter="data")
    return target


def project_of(tree: Path, records: Path, target: Path) -> Path:
    """That tree's own make_project, in a child process (two versions of the code in one process
    would mix)."""
    code = ("import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
            "from tests.support.project import make_project;"
            "make_project(Path(sys.argv[2]), records=Path(sys.argv[3]) / 'concepts', settings=Path(sys.argv[3]) / 'kb.yml')")
    subprocess.run([sys.executable, "-c", code, str(tree), str(target), str(records)], check=True, env=_env())
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commit")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "against.json")
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", args.commit], cwd=REPO, check=True,
                            capture_output=True, text=True).stdout.strip()
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, check=True,
                          capture_output=True, text=True).stdout.strip()
    work = Path(tempfile.mkdtemp(prefix="kb-against-"))
    try:
        generate(work / "records", args.n)
        trees = {"old": tree_at(commit, work / "old-tree"), "new": REPO}
        projects = {label: project_of(tree, work / "records", work / f"project-{label}") for label, tree in trees.items()}
        for project in projects.values():
            subprocess.run([sys.executable, "build_kb.py", "--quiet"], cwd=project, env=_env(), check=True)
        result = {"n": args.n, "old": {"commit": commit}, "new": {"commit": head}}
        for label in projects:
            result[label].update(rebuild=[], rebuild_text=[])
        for round_ in range(ROUNDS):
            for label, project in projects.items():
                print(f"round {round_ + 1}: {label}", flush=True)
                change_one_record(project, f"changed in round {round_}")
                result[label]["rebuild"].append(measure(project, sys.executable, "build_kb.py", "--quiet")["wall"])
                change_one_definition(project)
                result[label]["rebuild_text"].append(measure(project, sys.executable, "build_kb.py", "--quiet")["wall"])
        for label, project in projects.items():
            print(f"live reload: {label}", flush=True)
            result[label]["reload"], result[label]["serve_initial"] = live_reload(project)
        change_one_record(projects["new"], "changed for the profile")
        out = subprocess.run([sys.executable, "-c", _PROFILE], cwd=projects["new"], env=_env(), check=True,
                             capture_output=True, text=True).stdout.split()
        result["new"]["profiled_total"], result["new"]["profiled_pagefind"] = float(out[-2]), float(out[-1])
        for label in projects:
            start = measure(projects[label], sys.executable, "-c", "import kb.pipeline")
            result[label]["start"] = start["wall"]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

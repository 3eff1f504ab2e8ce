"""The pages generated from the small fixture, compared byte for byte with tests/golden/.

After an intended change to the output, regenerate with `pytest tests/test_golden.py
--update-golden` and review the diff of tests/golden/ like any other change.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import build_kb

GOLDEN = Path(__file__).parent / "golden"


def read_tree(root: Path) -> dict[str, bytes]:
    """The generated files; the manifest is left out (its digests include a digest of the code),
    and so is Pagefind's binary index (tests/test_search_index.py checks it is reproducible)."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file() and p.name != ".kb-manifest.json"
            and "/search/pagefind/" not in p.relative_to(root).as_posix()}


def test_generated_pages_match_the_golden_tree(small_kb, update_golden, capsys):
    assert build_kb.main(["--root", str(small_kb.root), "--quiet"]) == 0
    produced = read_tree(small_kb.docs)
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(small_kb.docs, GOLDEN, ignore=shutil.ignore_patterns(".kb-manifest.json", "pagefind"))
    expected = read_tree(GOLDEN)
    assert sorted(produced) == sorted(expected)
    for path in expected:
        assert produced[path].decode() == expected[path].decode(), f"{path} differs from the golden copy"


def test_two_runs_give_byte_identical_output(small_kb, tmp_path):
    assert build_kb.main(["--root", str(small_kb.root), "--quiet"]) == 0
    first = read_tree(small_kb.docs)
    shutil.rmtree(small_kb.docs)
    small_kb.docs.mkdir()
    assert build_kb.main(["--root", str(small_kb.root), "--quiet"]) == 0
    assert read_tree(small_kb.docs) == first

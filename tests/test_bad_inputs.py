"""The corpus of bad inputs: each case gets its exact error, exit status 1, and docs/ untouched.

A case is a folder in tests/bad_inputs/: files under concepts/ are added to the small
fixture record set, and expected.txt holds the exact output. Two cases are made here
instead of being committed: a 5 MB text field and a symbolic link out of the repository.
Run `pytest --update-golden` to rewrite expected.txt files, then review the diff.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

import build_kb

CASES = Path(__file__).parent / "bad_inputs"


def make_huge_field(records: Path) -> None:
    text = "بسیار " * 455_000  # 5 MB of UTF-8
    (records / "huge.yaml").write_text(
        "id: huge\ntitle: {fa: بزرگ, en: Huge}\naliases: {fa: [], en: []}\n"
        f"summary:\n  fa: {text}\n  en: Huge\n", encoding="utf-8")


def make_symlink_outside(records: Path) -> None:
    os.symlink("/etc/passwd", records / "passwd.yaml")


GENERATED = {"huge-field": make_huge_field, "symlink-outside": make_symlink_outside}


def snapshot(directory: Path) -> dict[str, str]:
    """Every file under directory with the hash of its bytes (hidden files included)."""
    return {p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_bad_input_is_reported_exactly_and_nothing_is_written(case, small_kb, capsys, update_golden):
    assert build_kb.main(["--root", str(small_kb.root), "--quiet"]) == 0
    before = snapshot(small_kb.docs)
    capsys.readouterr()

    if case in GENERATED:
        GENERATED[case](small_kb.records)
    else:
        shutil.copytree(CASES / case / "concepts", small_kb.records, dirs_exist_ok=True)
    status = build_kb.main(["--root", str(small_kb.root)])
    output = capsys.readouterr()

    expected_file = CASES / case / "expected.txt"
    if update_golden:
        expected_file.write_text(output.err, encoding="utf-8")
    assert status == 1
    assert output.out == ""
    assert output.err == expected_file.read_text(encoding="utf-8")
    assert snapshot(small_kb.docs) == before, "docs/ changed although the build failed"

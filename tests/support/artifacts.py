"""Where browser tests leave screenshots and PDFs for people to look at (git-ignored)."""

from __future__ import annotations

import os
from pathlib import Path

from tests.support.project import REPO


def artifact(name: str) -> Path:
    folder = Path(os.environ.get("KB_TEST_ARTIFACTS", REPO / "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name

"""`mkdocs serve` (what `make serve` runs): editing a record regenerates its pages in both languages."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.support.project import _env, make_project


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(condition, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


class Served:
    """A project served by `mkdocs serve` as `make serve` runs it, and the console it prints."""

    def __init__(self, project, base, console):
        self.project, self.base, self.console = project, base, console

    def printed(self) -> str:
        return self.console.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def served(tmp_path):
    project = make_project(tmp_path / "project")
    port = free_port()
    console = tmp_path / "console.txt"  # a file, not a pipe: a full pipe would stop the server
    with console.open("wb") as output:
        # as `make serve` runs it: --dirty rebuilds only what changed
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty",
                                   "--dev-addr", f"127.0.0.1:{port}"],
                                  cwd=project, env=_env(), stdout=output, stderr=subprocess.STDOUT)
    served = Served(project, f"http://127.0.0.1:{port}", console)
    try:
        assert wait_for(lambda: "Soft power" in fetch(f"{served.base}/en/concepts/soft-power/")), \
            "server did not start:\n" + served.printed()
        yield served
    finally:
        server.terminate()
        server.wait(timeout=10)


def search_entries(url: str) -> list[dict]:
    return json.loads(fetch(url) or '{"docs": []}')["docs"]


def test_editing_a_record_regenerates_its_pages_while_serving(served):
    project, base = served.project, served.base
    before = search_entries(f"{base}/en/search/search_index.json")
    assert any(e["location"] == "concepts/soft-power/" for e in before)
    record = project / "concepts" / "soft-power.yaml"
    text = record.read_text(encoding="utf-8")
    assert "  en: Soft power\n" in text
    record.write_text(text.replace("  en: Soft power\n", "  en: Soft power, edited\n", 1), encoding="utf-8")
    assert wait_for(lambda: "Soft power, edited" in fetch(f"{base}/en/concepts/soft-power/"))
    # pages that show the title change too: the Persian page shows it as the other-language title
    assert wait_for(lambda: "Soft power, edited" in fetch(f"{base}/concepts/soft-power/"))
    assert "Soft power, edited" in fetch(f"{base}/en/glossary/")
    # the search index is whole after a dirty rebuild: the edited page updated, nothing lost or doubled
    assert wait_for(lambda: any(e["title"] == "Soft power, edited"
                                for e in search_entries(f"{base}/en/search/search_index.json")))
    after = search_entries(f"{base}/en/search/search_index.json")
    assert len(after) == len(before)
    assert sorted(e["location"] for e in after) == sorted(e["location"] for e in before)
    page = [e for e in after if e["location"] == "concepts/soft-power/"]
    assert len(page) == 1 and "Soft power, edited" in page[0]["names"]


def test_a_broken_record_keeps_the_last_good_site_served_until_it_is_fixed(served):
    project, base = served.project, served.base
    record = project / "concepts" / "soft-power.yaml"
    good = record.read_text(encoding="utf-8")
    record.write_text(good.replace("  en: Soft power\n", "  en: no\n", 1), encoding="utf-8")
    # the console tells the maintainer what is wrong and where, as build_kb.py does
    expected = "concepts/soft-power.yaml:5: title.en: expected text, but YAML read no as the yes/no value false"
    assert wait_for(lambda: expected in served.printed(), seconds=30), served.printed()[-2000:]
    assert "Soft power" in fetch(f"{base}/en/concepts/soft-power/")  # still served, not stuck
    record.write_text(good.replace("  en: Soft power\n", "  en: Soft power, fixed\n", 1), encoding="utf-8")
    assert wait_for(lambda: "Soft power, fixed" in fetch(f"{base}/en/concepts/soft-power/"))

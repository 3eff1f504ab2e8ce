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


def search_names(base: str) -> dict[str, dict]:
    """Every name the served English site's search box looks up (search/lexicon/), by its key."""
    config = json.loads(fetch(f"{base}/en/search/config.json") or '{"lexicon": {"shards": []}}')
    names = {}
    for shard in config["lexicon"]["shards"]:
        names.update(json.loads(fetch(f"{base}/en/search/lexicon/{shard}.json") or "{}").get("names", {}))
    return names


def test_editing_a_record_regenerates_its_pages_while_serving(served):
    project, base = served.project, served.base
    before = search_names(base)
    assert before["softpower"] == {"url": "concepts/soft-power/", "title": "Soft power"}
    index_before = fetch(f"{base}/en/search/pagefind/pagefind-entry.json")
    record = project / "concepts" / "soft-power.yaml"
    text = record.read_text(encoding="utf-8")
    assert "  en: Soft power\n" in text
    record.write_text(text.replace("  en: Soft power\n", "  en: Soft power, edited\n", 1), encoding="utf-8")
    assert wait_for(lambda: "Soft power, edited" in fetch(f"{base}/en/concepts/soft-power/"))
    # pages that show the title change too: the Persian page shows it as the other-language title
    assert wait_for(lambda: "Soft power, edited" in fetch(f"{base}/concepts/soft-power/"))
    assert "Soft power, edited" in fetch(f"{base}/en/glossary/")
    # search follows: the edited name finds the page, the old one no longer does, nothing else changed
    assert wait_for(lambda: "softpoweredited" in search_names(base))
    after = search_names(base)
    assert after["softpoweredited"] == {"url": "concepts/soft-power/", "title": "Soft power, edited"}
    assert "softpower" not in after and len(after) == len(before)
    assert sorted(v["url"] for v in after.values()) == sorted(v["url"] for v in before.values())
    assert fetch(f"{base}/en/search/pagefind/pagefind-entry.json") != index_before  # the index was made again


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

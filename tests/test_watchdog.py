"""The browser tests' watchdog (tests/support/browser.py): a stuck browser test fails instead
of hanging the run, and the next test gets a working browser.

Each case runs in its own Python process, so that killing Chromium there cannot touch the
session's browser that the other tests share.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.support.browser import chromium_available
from tests.support.project import REPO

pytestmark = pytest.mark.skipif(not chromium_available(), reason="Debian's chromium is not installed")

_PRELUDE = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from tests.support.browser import Watchdog, launch_chromium, playwright_processes
out = {}
"""


def run(script: str, folder) -> dict:
    """Run the script in a new Python process; return its `out`, and its standard error."""
    path = folder / "script.py"  # a file, so that stack traces show its lines
    path.write_text(_PRELUDE + script + "\nprint(json.dumps(out))\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(path), str(REPO)],
                          capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
    return {**json.loads(done.stdout.splitlines()[-1]), "stderr": done.stderr}


def test_a_page_that_never_answers_fails_the_test_and_the_next_test_gets_a_new_browser(tmp_path):
    out = run("""
with launch_chromium() as browser:
    page = browser.new_page()
    started = time.monotonic()
    with Watchdog(2, "stuck test", grace=60) as dog:
        try:
            page.evaluate("() => { while (true) {} }")   # no Playwright timeout covers this
        except Exception as error:
            out["error"] = type(error).__name__
    out["seconds"] = time.monotonic() - started
    out["report"] = dog.report
    out["owns_old_page"] = browser.owns(page)
    fresh = browser.new_page()
    out["after"] = fresh.evaluate("() => 6 * 7")
    out["owns_new_page"] = browser.owns(fresh)
out["left"] = playwright_processes()
""", tmp_path)
    assert out["error"] == "TargetClosedError"  # what pyproject.toml's only_rerun reruns
    assert 2 <= out["seconds"] < 30
    assert "stuck test ran for more than 2 s" in out["report"] and "driver" not in out["report"]
    # where the test was stuck: the main thread's stack, down to the line of the script
    assert "Every thread was here:" in out["stderr"] and "Thread MainThread:" in out["stderr"]
    assert 'page.evaluate("() => { while (true) {} }")' in out["stderr"]
    assert out["after"] == 42
    assert out["owns_old_page"] is False and out["owns_new_page"] is True  # how test_search reopens its tabs
    assert out["left"] == {"chromium": [], "driver": []}


def test_when_killing_chromium_is_not_enough_the_driver_goes_too_and_is_started_again(tmp_path):
    out = run("""
with launch_chromium() as browser:
    browser.new_page().evaluate("() => 1")
    with Watchdog(1, "stuck test", grace=1) as dog:
        time.sleep(4)   # stuck outside Playwright: killing Chromium does not unblock it
    out["report"] = dog.report
    out["after"] = browser.new_page().evaluate("() => 6 * 7")
""", tmp_path)
    assert "the Playwright driver was killed too" in out["report"]
    assert out["after"] == 42


def test_a_call_waiting_on_a_frozen_driver_is_released_and_the_driver_replaced(tmp_path):
    out = run("""
import os, signal
with launch_chromium() as browser:
    page = browser.new_page()
    driver, = playwright_processes()["driver"]
    os.kill(driver, signal.SIGSTOP)   # the driver stops answering: killing Chromium cannot help
    with Watchdog(1, "stuck test", grace=1) as dog:
        try:
            page.evaluate("() => 1")
        except Exception as error:
            out["error"] = type(error).__name__
    out["report"] = dog.report
    out["after"] = browser.new_page().evaluate("() => 6 * 7")
    out["new_driver"] = playwright_processes()["driver"] != [driver]
""", tmp_path)
    assert out["error"] == "TargetClosedError"
    assert "the Playwright driver was killed too" in out["report"]
    assert out["after"] == 42 and out["new_driver"]


def test_a_test_that_finishes_in_time_is_left_alone(tmp_path):
    out = run("""
with launch_chromium() as browser:
    page = browser.new_page()
    with Watchdog(30, "quick test") as dog:
        out["value"] = page.evaluate("() => 6 * 7")
    out["report"] = dog.report
    out["processes"] = {kind: len(pids) for kind, pids in playwright_processes().items()}
""", tmp_path)
    assert out["value"] == 42 and out["report"] is None
    assert out["processes"]["driver"] == 1 and out["processes"]["chromium"] >= 1


_HANGS_ONCE = """
import os
from pathlib import Path


def test_hangs_the_first_time(new_page):
    page = new_page()
    marker = Path(os.environ["KB_HUNG_ONCE"])
    if not marker.exists():
        marker.write_text("hung")
        page.evaluate("() => { while (true) {} }")
    assert page.evaluate("() => 6 * 7") == 42


def test_a_later_browser_test(new_page):
    assert new_page().evaluate("() => 1 + 1") == 2
"""


def test_in_a_test_run_a_hung_browser_test_is_stopped_rerun_and_reported(tmp_path):
    """The wiring in tests/conftest.py and pyproject.toml, in a pytest run of its own."""
    (tmp_path / "test_hangs.py").write_text(_HANGS_ONCE, encoding="utf-8")
    env = dict(os.environ, KB_BROWSER_PHASE_SECONDS="3", KB_HUNG_ONCE=str(tmp_path / "hung"),
               KB_TEST_ARTIFACTS=str(tmp_path / "artifacts"))
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider",
                           "-c", str(REPO / "pyproject.toml"), "--rootdir", str(REPO), "-q",
                           str(tmp_path / "test_hangs.py")],
                          capture_output=True, text=True, timeout=300, cwd=REPO, env=env)
    printed = done.stdout + done.stderr
    assert done.returncode == 0, printed
    assert "2 passed, 1 rerun" in printed
    assert re.search(r"^RERUN \S*test_hangs_the_first_time$", printed, re.M)
    assert "test_hangs_the_first_time (call) ran for more than 3 s" in printed  # the summary section
    log = (tmp_path / "artifacts" / "browser-watchdog.txt").read_text(encoding="utf-8")
    assert "ran for more than 3 s" in log and 'page.evaluate("() => { while (true) {} }")' in log

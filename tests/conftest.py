"""Shared fixtures: small record sets in tmp_path, and built sites for the site and browser tests."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

from kb.pipeline import Paths
from tests.support.artifacts import artifact
from tests.support.browser import Watchdog, chromium_available, launch_chromium, serve_directory
from tests.support.project import FIXTURES, REPO, make_project, publish_site


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current output instead of comparing")


@pytest.fixture
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture
def small_kb(tmp_path) -> Paths:
    """The small fixture record set, copied into tmp_path, with an empty docs/."""
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "small", root)
    (root / "docs").mkdir()
    return Paths.for_root(root)


@pytest.fixture
def write_record(small_kb):
    """Write (or overwrite) a record file in the small fixture set: write_record('x.yaml', text)."""

    def write(relative: str, text: str | bytes) -> Path:
        path = small_kb.records / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def repo_site(tmp_path_factory) -> Path:
    """The real knowledge base as `make site` publishes it, built in a copy of the project."""
    project = make_project(tmp_path_factory.mktemp("repo-project"))
    return publish_site(project)


@pytest.fixture(scope="session")
def site_url(repo_site):
    """repo_site served on 127.0.0.1, for the browser tests."""
    with serve_directory(repo_site) as base:
        yield base


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory) -> Path:
    """The small fixture plus a record full of markup that must show up as text."""
    records = tmp_path_factory.mktemp("hostile-records") / "concepts"
    shutil.copytree(FIXTURES / "small" / "concepts", records)
    shutil.copy2(FIXTURES / "hostile-concept.yaml", records / "hostile-concept.yaml")
    project = make_project(tmp_path_factory.mktemp("hostile-project"), records,
                           settings=FIXTURES / "small" / "kb.yml")
    return publish_site(project)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium via Playwright. Skipped where it is missing, except in CI."""
    if not chromium_available():
        if os.environ.get("KB_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (KB_REQUIRE_BROWSER is set) but /usr/bin/chromium is missing")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    with launch_chromium() as instance:
        yield instance


@pytest.fixture
def new_page(browser):
    """new_page(**options): a page in a new browser context (options as for Playwright's
    Browser.new_context). Every context it opened is closed after the test, passed or failed."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        with contextlib.suppress(Exception):  # the browser may have died with the test
            context.close()


# A browser test's setup, call or teardown that runs longer than this is stuck (the slowest,
# the phone test, takes about 20 s here): the watchdog kills Chromium so that it fails instead of
# hanging the whole run, and pytest-rerunfailures runs it once more (pyproject.toml, only_rerun).
BROWSER_PHASE_SECONDS = float(os.environ.get("KB_BROWSER_PHASE_SECONDS", "240"))


_WATCHDOG_SAID = pytest.StashKey[list]()


@contextlib.contextmanager
def _watched(item: pytest.Item, when: str):
    if "browser" not in item.fixturenames:
        yield
        return
    said = item.config.stash.setdefault(_WATCHDOG_SAID, [])

    def say(text: str) -> None:
        said.append(text)  # for the summary at the end
        with artifact("browser-watchdog.txt").open("a", encoding="utf-8") as log:  # at once, in case
            log.write(text + "\n")                                                # the run dies first

    watchdog = Watchdog(BROWSER_PHASE_SECONDS, f"{item.nodeid} ({when})", say=say)
    try:
        with watchdog:
            yield
    finally:
        if watchdog.report:
            item.add_report_section(when, "browser watchdog", watchdog.report)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    with _watched(item, "setup"):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    with _watched(item, "call"):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    with _watched(item, "teardown"):
        return (yield)


def pytest_sessionstart(session):
    artifact("browser-watchdog.txt").unlink(missing_ok=True)  # what an earlier run said


def pytest_terminal_summary(terminalreporter, config):
    """What the watchdog did and where each stuck test was, shown even when its rerun passed."""
    said = config.stash.get(_WATCHDOG_SAID, [])
    if said:
        terminalreporter.section(f"browser watchdog (also in {artifact('browser-watchdog.txt')})", yellow=True)
        for text in said:
            terminalreporter.write_line(text)


__all__ = ["REPO"]

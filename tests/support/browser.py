"""Debian's Chromium through Playwright, a watchdog for a browser that stops answering, and a
local static server for built sites."""

from __future__ import annotations

import contextlib
import functools
import gc
import http.server
import os
import shutil
import signal
import sys
import threading
import traceback
from pathlib import Path

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--no-default-browser-check", "--disable-dev-shm-usage"]


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


class Chromium:
    """Debian's Chromium, headless, through Playwright; used like a Playwright Browser
    (new_context, new_page). When the browser has died (a crash, or the Watchdog killed it),
    the next call launches a fresh one, and a fresh Playwright driver if that died too, so one
    stuck test fails alone instead of taking every later browser test with it."""

    def __init__(self):
        self._playwright = None
        self._browser = None

    def _live(self):
        if self._browser is not None and self._browser.is_connected():
            return self._browser
        try:
            self._browser = self._driver().chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        except Exception:  # the driver itself is gone: start a new one and try once more
            self._stop_driver()
            self._browser = self._driver().chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        return self._browser

    def _driver(self):
        if self._playwright is None:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
        return self._playwright

    def _stop_driver(self):
        playwright, self._playwright, self._browser = self._playwright, None, None
        if playwright is not None:
            with contextlib.suppress(Exception):
                playwright.stop()

    def new_context(self, **options):
        return self._open("new_context", options)

    def new_page(self, **options):
        return self._open("new_page", options)

    def _open(self, method: str, options: dict):
        from playwright.sync_api import Error

        try:
            return getattr(self._live(), method)(**options)
        except Error:  # a killed driver leaves the browser looking connected: start both afresh
            self._stop_driver()
            return getattr(self._live(), method)(**options)

    def close(self):
        if self._browser is not None and self._browser.is_connected():
            with contextlib.suppress(Exception):
                self._browser.close()
        self._stop_driver()


@contextlib.contextmanager
def launch_chromium():
    """Yield a Chromium (see above); close it, driver included, at the end."""
    browser = Chromium()
    try:
        yield browser
    finally:
        browser.close()


# --- the watchdog ---------------------------------------------------------------------------

def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # the process ended while we looked
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _program(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().split(b"\0", 1)[0].decode(errors="replace")
    except OSError:
        return ""


def playwright_processes() -> dict[str, list[int]]:
    """This process's Chromium processes and Playwright drivers, by kind."""
    kinds: dict[str, list[int]] = {"chromium": [], "driver": []}
    for pid in _descendants(os.getpid()):
        program = _program(pid)
        if "chromium" in Path(program).name or program == CHROMIUM:
            kinds["chromium"].append(pid)
        elif program.endswith("/playwright/driver/node"):
            kinds["driver"].append(pid)
    return kinds


def _kill(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def thread_stacks() -> str:
    """Where every thread of this process is, as tracebacks. Playwright's sync API runs its event
    loop in a greenlet, so the test itself waits in a suspended greenlet: those are shown too."""
    names = {thread.ident: thread.name for thread in threading.enumerate()}
    stacks = [(f"Thread {names.get(ident, ident)}", frame)
              for ident, frame in sys._current_frames().items()]
    greenlet = sys.modules.get("greenlet")
    if greenlet is not None:
        stacks += [("Greenlet (waiting)", g.gr_frame) for g in gc.get_objects()
                   if isinstance(g, greenlet.greenlet) and g.gr_frame is not None]
    return "\n".join(f"{name}:\n" + "".join(traceback.format_stack(frame)) for name, frame in stacks)


class Watchdog:
    """Turns a browser test that hangs into a test that fails.

    A Playwright call with no timeout of its own (evaluate, count, close) waits for ever if
    Chromium stops answering. After `seconds`, the watchdog says where every thread is (`say`,
    standard error by default) and kills this process's Chromium, so that the waiting call
    raises TargetClosedError; if the test is still stuck `grace` seconds later, it kills the
    Playwright driver too. Chromium (above) starts afresh for the next test. `report` says what
    the watchdog did, or is None if it never had to act."""

    def __init__(self, seconds: float, what: str, grace: float = 30.0, say=None):
        self.seconds, self.what, self.grace = seconds, what, grace
        self.say = say or (lambda text: print(text, file=sys.__stderr__, flush=True))
        self.report: str | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="browser-watchdog", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()
        return False

    def _watch(self):
        if self._done.wait(self.seconds):
            return
        stacks = thread_stacks()
        processes = playwright_processes()
        _kill(processes["chromium"])
        self.report = (f"{self.what} ran for more than {self.seconds:.0f} s: the watchdog killed "
                       f"Chromium ({len(processes['chromium'])} processes) so that the test fails "
                       "instead of hanging.")
        self.say(f"\n*** {self.report} Every thread was here:\n{stacks}")
        if self._done.wait(self.grace):
            return
        _kill(playwright_processes()["driver"])
        self.report += f" Still stuck {self.grace:.0f} s later: the Playwright driver was killed too."
        self.say(f"*** {self.what}: still stuck; the Playwright driver was killed too.")


# --- a local server -------------------------------------------------------------------------

class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # the browser left mid-download
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve_directory(root: Path):
    """Serve a directory on 127.0.0.1 at a free port; yield the base URL without a trailing slash."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()

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
import weakref
from pathlib import Path

CHROMIUM = os.environ.get("KB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--no-default-browser-check", "--disable-dev-shm-usage"]


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


class Chromium:
    """Debian's Chromium, headless, through Playwright; used like a Playwright Browser
    (new_context, new_page). When the Watchdog below has killed Chromium (or its Playwright
    driver), or Chromium crashed, the next call launches a fresh one (and a fresh driver), so one
    stuck test fails alone instead of taking every later browser test with it. A launch that
    fails even with a fresh driver is remembered: later tests fail at once instead of waiting."""

    LAUNCH_TIMEOUT_MS = 60_000
    running: "weakref.WeakSet[Chromium]" = weakref.WeakSet()

    def __init__(self):
        self._playwright = None
        self._browser = None
        self._driver_killed = False
        self._launch_error: Exception | None = None
        Chromium.running.add(self)

    # what the watchdog says, from its own thread; acted on by the test's thread
    def browser_killed(self):
        self._browser = None

    def driver_killed(self):
        self._browser, self._driver_killed = None, True

    def owns(self, page) -> bool:
        """Whether a page opened earlier still belongs to the live browser."""
        return (self._browser is not None and page.context.browser is self._browser
                and self._browser.is_connected() and not page.is_closed())

    def _live(self):
        if self._launch_error is not None:
            raise RuntimeError(f"Chromium could not be started earlier in this run: {self._launch_error}")
        if self._driver_killed:
            self._stop_driver()
        if self._browser is not None and self._browser.is_connected():
            return self._browser
        try:
            self._browser = self._launch()
        except Exception:  # the driver may be gone too: start a new one and try once more
            self._stop_driver()
            try:
                self._browser = self._launch()
            except Exception as error:
                self._launch_error = error
                raise
        return self._browser

    def _launch(self):
        if self._playwright is None:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
        return self._playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                args=CHROMIUM_ARGS, timeout=self.LAUNCH_TIMEOUT_MS)

    def _stop_driver(self):
        playwright, self._playwright, self._browser = self._playwright, None, None
        self._driver_killed = False
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
        except Error as error:
            if type(error).__name__ != "TargetClosedError":  # not exported by playwright.sync_api
                raise
            self._stop_driver()  # the driver died on its own: the browser still looked connected
            return getattr(self._live(), method)(**options)

    def close(self):
        """Close the browser and stop the driver; under a watchdog, since neither has a timeout."""
        with Watchdog(60, "closing the browser"):
            if self._browser is not None and self._browser.is_connected():
                with contextlib.suppress(Exception):
                    self._browser.close()
            self._stop_driver()
        Chromium.running.discard(self)


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
        self._lock = threading.Lock()  # the phase ends, or the watchdog acts: never both
        self._thread = threading.Thread(target=self._watch, name="browser-watchdog", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        with self._lock:
            self._done.set()
        self._thread.join()
        return False

    def _after(self, seconds: float, action) -> bool:
        """Wait; if the phase is still running then, act (under the lock) and say so."""
        if self._done.wait(seconds):
            return False
        with self._lock:
            if self._done.is_set():
                return False
            action()
            return True

    def _kill_chromium(self):
        self._stacks = thread_stacks()
        killed = playwright_processes()["chromium"]
        _kill(killed)
        for browser in list(Chromium.running):
            browser.browser_killed()
        self.report = (f"{self.what} ran for more than {self.seconds:.0f} s: the watchdog killed "
                       f"Chromium ({len(killed)} processes) so that the test fails instead of hanging.")

    def _kill_driver(self):
        _kill(playwright_processes()["driver"])
        for browser in list(Chromium.running):
            browser.driver_killed()
        self.report += f" Still stuck {self.grace:.0f} s later: the Playwright driver was killed too."

    def _watch(self):
        if not self._after(self.seconds, self._kill_chromium):
            return
        self.say(f"\n*** {self.report} Every thread was here:\n{self._stacks}")
        if self._after(self.grace, self._kill_driver):
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

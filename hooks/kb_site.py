"""The MkDocs adapter: one `mkdocs build` or `mkdocs serve` gives the whole bilingual site.

Everything the site shows is made by build_kb (kb/): the pages with their final links, the
downloads, the search index. MkDocs and Material turn the Markdown into HTML pages; the
templates they print raw are overridden (tools/material_overrides.py). This module only
connects the two, with these events:

- on_startup: remember whether `mkdocs serve` (and --dirty) runs: for the English build, and
  because a preview shows records that differ from a published edition (with a warning);
- on_config: the site's name and edition from kb.yml (one place for both languages);
- on_nav: the home page's name in the sidebar, from the interface words;
- on_pre_build: run build_kb first, so the pages always match the records (for the offline
  copy and an edition's fixed copy too, each into its own folder); a problem in a record stops
  the build with its message;
- on_serve: watch the records and build_kb's code, templates and labels while serving;
- on_post_build: after the Persian site, build the English one (mkdocs.en.yml) into <site>/en/.
Persian and English are separate MkDocs builds so that each has its own lang and dir.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kb.citations import edition_line  # noqa: E402
from kb.languages import LANGUAGES  # noqa: E402
from kb.pipeline import Paths, run  # noqa: E402
from kb.records.problems import Problems  # noqa: E402
from kb.records.settings import load_settings  # noqa: E402
from kb.render.urls import DIRECTORY, edition_root  # noqa: E402
from kb.render.words import read_labels  # noqa: E402

log = logging.getLogger("mkdocs.hooks.kb_site")
ENGLISH_CONFIG = ROOT / "mkdocs.en.yml"
PIPELINE_INPUTS = ("concepts", "kb", "schema", "kb.yml")
"""What build_kb reads: a change here regenerates docs/, which then triggers MkDocs' rebuild."""
_state: dict = {"dirty": False, "watching": False, "serving": False}
_PIPELINE_LOCK = threading.Lock()


def _language(config) -> str:
    return config.extra.get("kb_language", "fa")


def _is_primary(config) -> bool:
    return _language(config) == "fa"


def on_startup(command, dirty):
    _state["dirty"] = dirty
    _state["serving"] = command == "serve"


@event_priority(100)
def on_config(config):
    """The site's name, edition and address from kb.yml."""
    paths = Paths.for_root(ROOT)
    settings = load_settings(paths.settings, paths.root, Problems())
    lang = _language(config)
    if settings is not None:
        config["site_name"] = settings.name[lang]
        config.extra["kb_edition"] = settings.edition
        config.extra["kb_edition_line"] = edition_line(settings, lang)
        if settings.site_url:  # an edition's fixed copy is at its own address
            edition = edition_root(settings.edition) if config.extra.get("kb_archive") else ""
            config["site_url"] = settings.site_url + edition + LANGUAGES[lang].site_root
    return config


def on_nav(nav, config, files):
    """Name the home page in the sidebar in the site's language; by default it repeats the site
    name, which is already the sidebar's title."""
    for item in nav.items:
        if getattr(item, "is_homepage", False):
            item.title = read_labels()["home"][_language(config)]
    return nav


def on_pre_build(config):
    """Regenerate the pages from the records; stop the build if a record is wrong.

    While serving, after the first build, the record watcher (on_serve) does this instead.
    """
    if not _is_primary(config) or _state["watching"]:
        return
    result = _run_pipeline(config)
    if not result.ok:
        raise Abort("build_kb found problems in the records:\n" + _problem_text(result))


def _run_pipeline(config):
    """build_kb for this build's pages: docs/ for the site, build/offline/docs for the offline copy
    (with links to .html files, and the hand-written pages copied in)."""
    docs = Path(config.docs_dir).parent
    hand_written = ROOT / "docs" if docs != ROOT / "docs" else None
    with _PIPELINE_LOCK:
        result = run(Paths.for_root(ROOT, docs=docs), style=config.extra.get("kb_url_style", DIRECTORY),
                     hand_written=hand_written, archive=bool(config.extra.get("kb_archive")),
                     preview=_state["serving"])
    for warning in result.warnings:  # while serving: the edit is shown, but make site refuses it
        log.warning(f"build_kb: {warning}")
    plan = result.plan
    if result.ok and plan and plan.changed:
        log.info(f"build_kb: wrote {len(plan.write)} files, removed {len(plan.delete)}")
    return result


def _problem_text(result) -> str:
    lines = [str(p) for p in result.problems.sorted()]
    return "\n".join(lines + [result.problems.summary(result.record_count)])


def on_serve(server, config, builder):
    """Watch the records (and build_kb's code) with a watcher of our own, and the rest with MkDocs'.

    A record change first regenerates the Markdown (build_kb writes only what changed), and that
    change to docs/ triggers one MkDocs rebuild. Running build_kb inside MkDocs' rebuild instead
    would make its writes trigger a second rebuild, which the server waits for.
    """
    if not _is_primary(config):
        return server
    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    class RegeneratePages(FileSystemEventHandler):
        def __init__(self):
            self.timer = None

        def on_any_event(self, event):
            if event.event_type in ("opened", "closed_no_write") or event.src_path.endswith((".pyc", ".tmp")):
                return
            if self.timer:
                self.timer.cancel()
            self.timer = threading.Timer(0.15, self.regenerate)  # one run for a burst of events
            self.timer.start()

        def regenerate(self):
            try:
                result = _run_pipeline(config)
            except Exception as error:  # keep serving; say what went wrong
                log.error(f"build_kb failed: {error}")
                return
            if not result.ok:
                log.error("build_kb found problems in the records; the site shows the last good version:\n"
                          + _problem_text(result))

    observer = Observer()
    handler = RegeneratePages()
    for path in PIPELINE_INPUTS:
        if (ROOT / path).exists():
            observer.schedule(handler, str(ROOT / path), recursive=True)
    observer.daemon = True
    observer.start()
    _state["watching"] = True
    for path in ("mkdocs.en.yml", "docs/en", "overrides"):
        if (ROOT / path).exists():
            server.watch(str(ROOT / path))
    return server


def on_post_build(config):
    """After the Persian site, build the English one into <site>/en/."""
    if not _is_primary(config):
        return
    english_config = ROOT / config.extra.get("kb_english_config", ENGLISH_CONFIG.name)
    english = load_config(str(english_config), site_dir=os.path.join(config.site_dir, "en"),
                          strict=config.strict)
    if config.site_url:
        english.site_url = config.site_url.rstrip("/") + "/en/"
    build(english, dirty=_state["dirty"])

"""MkDocs hooks: one `mkdocs build` / `mkdocs serve` gives the whole bilingual site.

Persian (mkdocs.yml) is the primary build. Its hooks
- run the build_kb pipeline first, so pages always match the records (on_pre_build);
- watch concepts/, the templates and the English docs while serving (on_serve);
- build the English site (mkdocs.en.yml) into <site>/en/ afterwards (on_post_build).
Both builds get `dir` on <html>; the language switcher links each page to its counterpart.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kb.citations import edition_text  # noqa: E402
from kb.page_renderer import get_labels  # noqa: E402
from kb.pipeline import Paths, load_settings, run  # noqa: E402
from kb.problems import Problems  # noqa: E402
from kb.search_index import SEPARATOR, enrich_entry, search_helpers, search_index_json, zwnj_words  # noqa: E402

log = logging.getLogger("mkdocs.hooks.kb_site")
ENGLISH_CONFIG = ROOT / "mkdocs.en.yml"
DIRECTION = {"fa": "rtl", "en": "ltr"}
_state: dict = {"dirty": False, "names": {"fa": {}, "en": {}}, "entries": {"fa": {}, "en": {}},
                "words": {"fa": {}, "en": {}}, "pages": {"fa": [], "en": []}, "indexed": {}}
"""Kept across `mkdocs serve` rebuilds (this module is loaded once per process). With --dirty only
changed pages are rendered, so each page's search entries are kept here and the whole index is
assembled from them after every build (Material's own dirty-build index handles one page only)."""
SEARCH_FIELDS = {"names": {"boost": 10_000}, "variants": {"boost": 1}}
"""Extra search fields (see kb/search_index.py); Material's title field has boost 1,000."""


def _language(config) -> str:
    return config.extra.get("kb_language", "fa")


def _is_primary(config) -> bool:
    return _language(config) == "fa"


def on_startup(command, dirty):
    _state["dirty"] = dirty


@event_priority(100)  # before the search plugin reads its configuration
def on_config(config):
    """The site's name and edition from kb.yml; search that knows Persian."""
    settings = _settings()
    lang = _language(config)
    if settings is not None:
        config["site_name"] = settings.name[lang]
        config.extra["kb_edition"] = settings.edition
        config.extra["kb_edition_line"] = edition_line(settings, lang)
        if settings.site_url:
            config["site_url"] = settings.site_url + ("en/" if lang == "en" else "")
    search = config.plugins.get("material/search")
    if search is not None:
        search.config["separator"] = SEPARATOR
        search.config["fields"] = dict(SEARCH_FIELDS)
        # No lunr pipeline in either language. The trimmer strips every Persian letter (its \W
        # has no Unicode flag). The stemmer cannot work with Material's queries: every query word
        # gets a trailing wildcard, and lunr skips the pipeline for wildcard terms, so "twinning*"
        # would never meet the indexed stem "twin".
        search.config["pipeline"] = []
    return config


def _settings():
    problems = Problems()
    return load_settings(Paths.for_root(ROOT), problems)


def edition_line(settings, lang: str) -> str:
    comma = "، " if lang == "fa" else ", "
    return f"{settings.name[lang]}{comma}{edition_text(settings, lang)}"


def on_files(files, config):
    """The pages of this build, in order: the search index holds these and no others."""
    _state["pages"][_language(config)] = [f.url for f in files.documentation_pages()]
    search = config.plugins.get("material/search")
    if search is not None:
        _state["indexed"][id(search)] = 0
    return files


def on_nav(nav, config, files):
    """Name the home page in the sidebar in the site's language; by default it repeats the site
    name, which is already the sidebar's title."""
    for item in nav.items:
        if getattr(item, "is_homepage", False):
            item.title = get_labels()["home"][_language(config)]
    return nav


def on_page_context(context, page, config, nav):
    """Keep this page's search entries (with their variants and, on concept pages, names)."""
    lang = _language(config)
    names = page.meta.get("kb_names")
    if names:
        _state["names"][lang][page.url] = {"title": page.title, "names": list(names)}
    search = config.plugins.get("material/search")
    if search is not None and getattr(search, "search_index", None) is not None:
        entries = search.search_index.entries
        start = _state["indexed"].get(id(search), 0)
        new = [enrich_entry(e, names) for e in entries[start:]]  # what the search plugin just added
        _state["indexed"][id(search)] = len(entries)
        _state["entries"][lang][page.url] = new
        _state["words"][lang][page.url] = set().union(*(zwnj_words(e) for e in new)) if new else set()
    return context


_KBREF = re.compile(r'href="kbref:([^"]+)"')


def on_page_content(html, page, config, files):
    """Resolve kbref: links, which build_kb writes into raw HTML (maps and the long generated lists),
    where MkDocs does not rewrite .md links."""
    def resolve(match):
        path, _, anchor = match.group(1).partition("#")
        target = files.get_file_from_path(path)
        if target is None:
            log.warning(f"Doc file '{page.file.src_uri}' links to '{path}', which does not exist")
            return 'href="#"'
        return f'href="{get_relative_url(target.url, page.url)}{"#" + anchor if anchor else ""}"'

    return _KBREF.sub(resolve, html)


def on_pre_build(config):
    """Regenerate the pages from the records; stop the build if a record is wrong.

    While serving, after the first build, the record watcher (on_serve) does this instead.
    """
    if not _is_primary(config) or _state.get("watching"):
        return
    result = _run_pipeline()
    if not result.ok:
        raise Abort("build_kb found problems in the records:\n" + _problem_text(result))


def _run_pipeline():
    with _PIPELINE_LOCK:
        result = run(Paths.for_root(ROOT))
    plan = result.plan
    if result.ok and plan and plan.changed:
        log.info(f"build_kb: wrote {len(plan.write)} pages, removed {len(plan.delete)}")
    return result


def _problem_text(result) -> str:
    lines = [str(p) for p in result.problems.sorted()]
    return "\n".join(lines + [result.problems.summary(result.record_count)])


_PIPELINE_LOCK = threading.Lock()
PIPELINE_INPUTS = ("concepts", "kb", "schema", "kb.yml")
"""What build_kb reads: a change here regenerates docs/, which then triggers MkDocs' rebuild."""


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
                result = _run_pipeline()
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


_HTML_TAG = re.compile(r'<html lang="(\w+)"')


_SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
SEARCH_NAME = {"fa": "جست‌وجو", "en": "Search"}


def _add_direction(output: str, config) -> str:
    """dir on <html>; and a name for Material's search dialog, which has none (axe: aria-dialog-name)."""
    lang = _language(config)
    output = _HTML_TAG.sub(f'<html lang="{lang}" dir="{DIRECTION[lang]}"', output, count=1)
    return output.replace(_SEARCH_DIALOG, _SEARCH_DIALOG[:-1] + f' aria-label="{SEARCH_NAME[lang]}">', 1)


def on_post_template(output_content, template_name, config):
    """The 404 page is rendered from a template, not a page: finish it like the pages."""
    return _finish_html(output_content, config) if template_name.endswith(".html") else output_content


_STORAGE_SCOPE = re.compile(r'__md_scope=new URL\("([^"]*)",location\)')


def _share_preferences(output: str, config) -> str:
    """Let both languages share the reader's preferences (dark mode, ...).

    Material keys localStorage by the site's root; the English site's root is /en/, so a
    choice made on a Persian page would not hold on English pages. Scope both to /.
    """
    if _is_primary(config):
        return output
    return _STORAGE_SCOPE.sub(lambda m: f'__md_scope=new URL("{m.group(1)}/..",location)', output, count=1)


def _finish_html(output: str, config) -> str:
    """Put dir on <html> and share preferences. (Material's <link rel="alternate"> tags, which
    would send language links to the other language's home page, are left out by the site_meta
    block of overrides/main.html.)"""
    return _share_preferences(_add_direction(output, config), config)


def on_post_page(output, page, config):
    return _finish_html(output, config)


@event_priority(-50)  # after the search plugin writes its index, before the offline plugin inlines it
def on_post_build(config):
    """Enrich this language's search index; after the Persian site, build the English one."""
    index = Path(config.site_dir) / "search" / "search_index.json"
    search = config.plugins.get("material/search")
    if index.exists() and search is not None:
        lang = _language(config)
        pages = _state["pages"][lang]
        entries = [entry for url in pages for entry in _state["entries"][lang].get(url, [])]
        settings = {key: search.search_index.config[key] for key in ("lang", "separator", "pipeline", "fields")}
        index.write_text(search_index_json(settings, entries), encoding="utf-8")
        live = set(pages)  # names of pages removed since the last build are left out
        names = {url: value for url, value in _state["names"][lang].items() if url in live}
        words = set().union(*(_state["words"][lang].get(url, set()) for url in pages))
        helpers = search_helpers(names, words)
        (index.parent / "kb-search.json").write_text(helpers, encoding="utf-8")
        if config.extra.get("kb_offline"):  # file:// pages cannot fetch JSON: inline it
            (index.parent / "kb-search.js").write_text(f"var __kbSearch = {helpers};\n", encoding="utf-8")
    if not _is_primary(config):
        return
    english_config = ROOT / config.extra.get("kb_english_config", ENGLISH_CONFIG.name)
    english = load_config(str(english_config), site_dir=os.path.join(config.site_dir, "en"),
                          strict=config.strict)
    if config.site_url:
        english.site_url = config.site_url.rstrip("/") + "/en/"
    build(english, dirty=_state["dirty"])

"""The search files of each language's site, made from its search documents.

Published site (search/ in each language's folder of docs/):
- config.json: the folding table, the words of the search interface, where the rest is;
- lexicon/<shard>.json: names and spellings (see lexicon.py);
- pagefind/: the index, split into fragments that a query fetches as it needs them
  (Pagefind, https://pagefind.app, run on one small HTML document per page).
Offline copy (read from disk, where a page can fetch nothing): search/offline.js holds the
documents, the whole lexicon and the configuration, and an engine that loads all at once
(MiniSearch) searches them.

Documents are written for Pagefind with the page's text as the page shows it (what a result
quotes) and, in meta fields, the page's names (weighted, so that a name finds its concept
first) and the folded forms of the words that Pagefind does not fold itself (other digits).
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from ..languages import LANGUAGES
from ..text import escape
from ..text.folding import BREAKS, DIGITS, MARKS, fold, folding_json
from ..render.output import OutputPage
from ..render.urls import page_url
from .documents import SearchDocument
from .lexicon import PREFIX, lexicon, shard_json

INTERFACE_WORDS = ("search", "search_placeholder", "search_ready", "search_none", "search_one", "search_other",
                   "search_close", "search_results")
"""The labels (render/labels.yaml) the search interface shows."""
PAGEFIND_SCRIPT, PAGEFIND_ENTRY = "pagefind.js", "pagefind-entry.json"
"""Of Pagefind's output, the site serves these two, the index (index/, fragment/, filter/), and the
meta and wasm files the entry names. Not served: the Web Worker (the search runs without it) and
Pagefind's own user interfaces (the site's search box is overrides/partials/kb-search.html)."""
PAGEFIND_FOLDER = "search/pagefind/"

_WORD_PATTERN = f"[^{BREAKS}]+"


def search_config(words, engine: str, shards=(), pagefind: dict | None = None) -> str:
    digits = LANGUAGES[words.lang].digits("0123456789")
    config = {"folding": json.loads(folding_json()), "labels": {key: words(key) for key in INTERFACE_WORDS},
              "digits": digits,
              "lexicon": {"prefix": PREFIX, "folder": "search/lexicon/", "shards": list(shards)}, "engine": engine,
              "pagefind": pagefind or {}, "names_weight": 10}
    return json.dumps(config, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def pagefind_start(files: dict[str, bytes], lang: str) -> dict:
    """How the search box starts Pagefind: its script, the tag that names this build's entry file,
    and the files to fetch as the box opens. Pagefind fetches them one after another (its script,
    then the entry, then the meta and wasm files the entry names); the box asks for all of them at
    once, and Pagefind's own requests then find them on their way."""
    entry = files[PAGEFIND_ENTRY]
    index = json.loads(entry)["languages"][lang]
    tag = hashlib.sha256(entry).hexdigest()[:16]  # a new build, a new address: a cached entry is never stale
    return {"script": PAGEFIND_FOLDER + PAGEFIND_SCRIPT, "tag": tag,
            "preload": [f"{PAGEFIND_FOLDER}{PAGEFIND_ENTRY}?ts={tag}", PAGEFIND_FOLDER + _meta_file(index),
                        PAGEFIND_FOLDER + _wasm_file(index)]}


def _meta_file(index: dict) -> str:
    return f"pagefind.{index['hash']}.pf_meta"


def _wasm_file(index: dict) -> str:
    return f"wasm.{index['wasm'] or 'unknown'}.pagefind"  # no stemmer for the language: "unknown"


def _variants(document: SearchDocument) -> str:
    """The folded form of each word of the page that Pagefind would not find for a folded query
    (Pagefind drops diacritics and joiners itself, but keeps Persian digits and letter forms)."""
    marks = re.compile(f"[{MARKS}]")
    seen: dict[str, None] = {}
    for section in document.sections:
        for word in re.findall(_WORD_PATTERN, f"{section.heading} {section.text}"):
            folded = fold(word).replace("\u200c", "").replace("\u200d", "")
            if folded != marks.sub("", word).replace("\u200c", "").replace("\u200d", ""):
                seen.setdefault(folded, None)
    return " ".join(seen)


_LATIN_DIGITS = str.maketrans(DIGITS)


def indexed(text: str) -> str:
    """The text as the index holds it: with Latin digits, as the folded query has them (a
    Persian page's results show its Persian digits again: kb-search.js localises them)."""
    return text.translate(_LATIN_DIGITS)


def pagefind_html(document: SearchDocument) -> str:
    """One page as Pagefind reads it: its sections under headings with the page's anchors."""
    names = " ".join(dict.fromkeys(fold(n) for n in document.names))
    head = [f'<meta charset="utf-8"><title>{escape.html_text(document.title)}</title>',
            f'<meta data-pagefind-meta="title[content]" content="{escape.html_attribute(document.title)}">']
    if names:
        head.append(f'<meta data-pagefind-meta="names[content]" content="{escape.html_attribute(names)}">')
    variants = _variants(document)
    if variants:
        head.append(f'<meta data-pagefind-meta="variants[content]" content="{escape.html_attribute(variants)}">')
    body = []
    for section in document.sections:
        if section.anchor:
            body.append(f'<h2 id="{escape.html_attribute(section.anchor)}">{escape.html_text(indexed(section.heading))}</h2>')
        elif section.heading:
            body.append(f"<h1>{escape.html_text(indexed(section.heading))}</h1>")
        body.append(f"<p>{escape.html_text(indexed(section.text))}</p>")
    return (f'<!DOCTYPE html><html lang="{document.lang}"><head>{"".join(head)}</head>'
            f'<body><main data-pagefind-body>{"".join(body)}</main></body></html>\n')


def pagefind_bundle(documents: list[SearchDocument], lang: str) -> dict[str, bytes]:
    """Pagefind's index of the documents: path in the bundle -> bytes."""
    with tempfile.TemporaryDirectory(prefix="kb-search-") as scratch:
        site, out = Path(scratch) / "site", Path(scratch) / "pagefind"
        for document in documents:
            target = site / page_url(document.path) / "index.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(pagefind_html(document), encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "pagefind_bin", "--site", str(site), "--output-path", str(out),
                               "--force-language", lang, "--silent"], capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"Pagefind could not index the {lang} site:\n{done.stdout}{done.stderr}")
        languages = json.loads((out / PAGEFIND_ENTRY).read_bytes())["languages"]
        if list(languages) != [lang]:
            raise RuntimeError(f"Pagefind made indexes for {sorted(languages)} where the {lang} site needs one, for {lang}")
        served = {PAGEFIND_SCRIPT, PAGEFIND_ENTRY, _meta_file(languages[lang]), _wasm_file(languages[lang])}
        files = {}
        for path in sorted(out.rglob("*")):
            relative = path.relative_to(out).as_posix()
            if path.is_file() and (relative in served or relative.startswith(("index/", "fragment/", "filter/"))):
                files[relative] = path.read_bytes()
        return files


def offline_data(documents: list[SearchDocument], config: str, style: str) -> str:
    """search/offline.js: everything the offline copy's search needs, as one script."""
    shards = lexicon(documents)
    merged = {"names": {}, "spellings": {}}
    for shard in shards.values():
        merged["names"].update(shard["names"])
        merged["spellings"].update(shard["spellings"])
    for target in merged["names"].values():  # the offline copy's pages end in .html
        target["url"] = _offline_url(target["url"], style)
    data = {"config": json.loads(config), "lexicon": merged,
            "documents": [{"url": page_url(d.path, style), "title": d.title,
                           "names": " ".join(dict.fromkeys(fold(n) for n in d.names)),
                           "sections": [[s.anchor, indexed(s.heading), indexed(s.text)] for s in d.sections]}
                          for d in documents]}
    return f"window.__kbSearch = {escape.script_json(data)};\n"


def _offline_url(url: str, style: str) -> str:
    path, _, anchor = url.partition("#")
    stem = path.rstrip("/") or "index"
    return page_url(f"{stem}.md", style) + (f"#{anchor}" if anchor else "")


def search_files(documents: list[SearchDocument], lang: str, words, offline: bool, style: str) -> list[OutputPage]:
    """The search files of one language's site, as pages for docs/<lang>/search/."""
    prefix = f"{lang}/search/"
    if offline:
        config = search_config(words, "offline")
        return [OutputPage(prefix + "offline.js", offline_data(documents, config, style), "build_kb.py")]
    shards, engine = lexicon(documents), pagefind_bundle(documents, lang)
    config = search_config(words, "pagefind", shards, pagefind_start(engine, lang))
    files = [OutputPage(prefix + "config.json", config + "\n", "build_kb.py")]
    files += [OutputPage(f"{prefix}lexicon/{name}.json", shard_json(shard) + "\n", "build_kb.py")
              for name, shard in shards.items()]
    files += [OutputPage(f"{lang}/{PAGEFIND_FOLDER}{path}", data, "build_kb.py")
              for path, data in engine.items()]
    return files

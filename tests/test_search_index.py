"""What the build gives the search box: documents, the lexicon, the folding table and Pagefind's index."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kb.render.words import Words, read_labels
from kb.search import bundle
from kb.search.documents import SearchDocument, Section, search_documents
from kb.search.lexicon import lexicon, name_key, shard_of
from kb.text.folding import folding_json
from tests.support.project import REPO, repo_build

SCRIPT = REPO / "overrides" / "assets" / "javascripts" / "kb-search.js"


@pytest.fixture(scope="module")
def documents():
    kb = repo_build().kb
    about = {lang: [(REPO / "docs" / lang / "about.md", "about.md")] for lang in ("fa", "en")}
    return {lang: search_documents(kb, lang, Words(read_labels(), lang), about[lang]) for lang in ("fa", "en")}


def test_the_browser_folds_queries_with_the_table_the_index_was_folded_with(documents):
    config = json.loads(bundle.search_config(Words(read_labels(), "fa"), "pagefind"))
    assert config["folding"] == json.loads(folding_json())
    script = SCRIPT.read_text(encoding="utf-8")
    # No second table: the script has no letter, digit, mark or joiner of its own to fold or show.
    code = re.sub(r"//.*|/\*.*?\*/", "", script, flags=re.S)  # its comments may give examples
    assert not re.search(r"[\u0600-\u06ff\u200c\u200d]|\\u0[6]|\\u200|0x06", code), \
        "kb-search.js must read the folding table and the digits from config.json"


def test_every_page_a_reader_lands_on_is_searchable_in_both_languages(documents):
    kb = repo_build().kb
    for lang, found in documents.items():
        paths = {d.path for d in found}
        assert {f"concepts/{cid}.md" for cid in kb.concepts} <= paths
        assert {"bibliography.md", "about.md", "articles/khosravi-et-al-synergy.md"} <= paths
        assert not paths & {"index.md", "glossary.md", "map.md", "concepts/index.md"}  # they only repeat others


def test_a_concepts_sections_have_the_anchors_of_its_page(documents):
    kb = repo_build().kb
    for found in documents.values():
        for document in found:
            if document.path.startswith("concepts/"):
                concept = kb.concepts[document.path.removeprefix("concepts/").removesuffix(".md")]
                assert [s.anchor for s in document.sections] == ["", "definitions", *(s.id for s in concept.sections)]


def test_every_name_of_a_concept_leads_to_its_page_in_either_language(documents):
    kb = repo_build().kb
    for lang, found in documents.items():
        shards = lexicon(found)
        for concept in kb.concepts.values():
            for name in (concept.title.fa, concept.title.en, *concept.aliases.fa, *concept.aliases.en):
                key = name_key(name)
                target = shards[shard_of(key)]["names"][key]
                assert target == {"url": f"concepts/{concept.id}/", "title": concept.title[lang]}, (lang, name)


def test_a_word_the_site_writes_with_a_non_joiner_is_found_by_its_joined_form(documents):
    shards = lexicon(documents["fa"])
    spellings = {k: v for shard in shards.values() for k, v in shard["spellings"].items()}
    assert spellings["همافزایی"] == "هم\u200cافزایی"
    assert spellings["بینالمللی"] == "بین\u200cالمللی"
    assert all("\u200c" not in joined and joined == spelled.replace("\u200c", "") for joined, spelled in spellings.items())


def test_shards_stay_small(documents):
    for found in documents.values():
        sizes = [len(bundle.shard_json(shard).encode()) for shard in lexicon(found).values()]
        assert max(sizes) < 4_000, max(sizes)


def test_record_text_is_text_in_the_documents_pagefind_reads():
    document = SearchDocument("en", "concepts/x.md", 'Title <img src=x onerror="alert(1)">', ('A "name" & <b>',),
                              (Section("", "Title", "text </main><script>alert(2)</script>"),
                               Section("definitions", "<h1>Fake</h1>", "more")))
    html = bundle.pagefind_html(document)
    assert "<img" not in html and "<script>" not in html and "<b>" not in html and "<h1>Fake" not in html
    assert html.count("<h1>") == 1 and html.count("<h2 ") == 1
    assert '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;' in html


def test_the_index_has_latin_digits_and_the_results_what_the_page_shows(documents):
    synergy = next(d for d in documents["fa"] if d.path == "concepts/six-themes-of-city-diplomacy.md")
    shown = " ".join(s.text for s in synergy.sections)
    assert "۱۳۹۷" in shown  # the document holds what the page shows...
    assert "1397" in bundle.pagefind_html(synergy) and "۱۳۹۷" not in bundle.pagefind_html(synergy)  # ...the index, folded


def test_the_pagefind_index_is_the_same_for_the_same_documents(documents, tmp_path):
    first, second = bundle.pagefind_bundle(documents["fa"], "fa"), bundle.pagefind_bundle(documents["fa"], "fa")
    assert first == second
    assert {"pagefind.js", "pagefind-entry.json"} <= set(first)
    assert "pagefind-worker.js" not in first  # the search runs without Pagefind's worker
    assert [p for p in first if p.startswith("index/")] and [p for p in first if p.startswith("fragment/")]
    assert not [p for p in first if "-ui" in p]  # Pagefind's own interfaces are not served


def test_the_box_is_told_the_files_of_this_build_that_pagefind_fetches_first(documents):
    files = bundle.pagefind_bundle(documents["en"], "en")
    start = bundle.pagefind_start(files, "en")
    entry = json.loads(files["pagefind-entry.json"])
    assert start["script"] == "search/pagefind/pagefind.js"
    served = {"search/pagefind/" + path for path in files}
    assert start["preload"][0] == f"search/pagefind/pagefind-entry.json?ts={start['tag']}"
    assert set(start["preload"][1:]) <= served  # the meta and wasm files this build made...
    assert f"search/pagefind/pagefind.{entry['languages']['en']['hash']}.pf_meta" in start["preload"]
    assert [p for p in files if p.startswith("wasm.")] == ["wasm.en.pagefind"]  # ...and the one wasm the entry names
    # another index, another tag: a cached entry file of an older build is never read for this one
    other = bundle.pagefind_bundle(documents["en"][:-1], "en")
    assert bundle.pagefind_start(other, "en")["tag"] != start["tag"]

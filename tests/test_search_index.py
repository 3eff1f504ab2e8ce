"""The search index helpers (kb/search_index.py), without a browser."""

from __future__ import annotations

import json
import re

from kb.search_index import SEPARATOR, enrich_entry, fold, name_key, names_lookup, search_index_json, word_variants, zwnj_spellings, zwnj_words
from tests.support.project import REPO


def test_fold_unifies_letters_digits_and_diacritics_but_keeps_the_non_joiner():
    assert fold("دیپلماسيِ شهري ١٣٩٧ ۱۳۹۷ كتاب توسعۀ مؤلفه") == "دیپلماسی شهری 1397 1397 کتاب توسعه مولفه"
    assert fold("هم‌افزایی") == "هم‌افزایی"


def test_words_are_split_at_dashes_punctuation_and_non_joiners():
    text = "دیپلماسی «مردم–دولت»، روش توصیفی-تحلیلی؛ people–state—nation هم\u200cافزایی"
    assert [w for w in re.split(SEPARATOR, text) if w] == [
        "دیپلماسی", "مردم", "دولت", "روش", "توصیفی", "تحلیلی", "people", "state", "nation", "هم", "افزایی"]


def test_the_browser_splits_queries_exactly_as_the_index_is_split():
    """kb-search.js repeats the separator; if the two differ, a query and its page stop meeting."""
    script = REPO / "overrides/assets/javascripts/kb-search.js"
    in_script = re.search(r"var SEPARATOR = /(.+)/g;", script.read_text(encoding="utf-8")).group(1)
    browser, index = re.compile(in_script.replace("\\/", "/")), re.compile(SEPARATOR)
    differ = [hex(c) for c in range(0x10000) if bool(browser.fullmatch(chr(c))) != bool(index.fullmatch(chr(c)))]
    assert differ == []


def test_variants_are_the_forms_a_reader_may_type_instead():
    assert word_variants("هم‌افزایی در ۱۳۹۷ و صِرف و سازمان‌های مردم‌نهاد") == [
        "همافزایی", "1397", "صرف", "سازمانهای", "مردمنهاد"]
    assert word_variants("plain words stay out 2008") == []


def test_names_shared_by_two_concepts_promote_neither():
    pages = {"concepts/a/": {"title": "A", "names": ["Shared", "Alpha"]},
             "concepts/b/": {"title": "B", "names": ["shared", "Beta"]}}
    assert names_lookup(pages) == {"alpha": {"url": "concepts/a/", "title": "A"},
                                   "beta": {"url": "concepts/b/", "title": "B"}}


def test_name_keys_ignore_spelling_variants_and_separators():
    assert name_key("هم‌افزایی دیپلماسی") == name_key("همافزايي  دیپلماسی") == "همافزاییدیپلماسی"
    assert name_key("Sister-city relationship") == "sistercityrelationship"


def test_spellings_map_joined_words_to_their_standard_form_unless_ambiguous():
    docs = [{"title": "هم‌افزایی", "text": "<p>سازمان‌ها و سازمانها، مردم‌نهاد</p>"},
            {"title": "x", "text": "مرد‌منهاد"}]
    words = set().union(*(zwnj_words(d) for d in docs))
    assert zwnj_spellings(words) == {"سازمانها": "سازمان‌ها", "همافزایی": "هم‌افزایی"}


def test_the_enriched_index_is_plain_utf8_with_names_on_page_entries_only():
    entries = [{"location": "concepts/x/", "title": "هم‌افزایی", "text": "در ۱۳۹۷"},
               {"location": "concepts/x/#definitions", "title": "تعریف‌ها", "text": ""}]
    out = search_index_json({}, [enrich_entry(e, ["هم‌افزایی", "Synergy"]) for e in entries])  # as the hook does
    assert "\\u" not in out and "هم‌افزایی" in out
    docs = json.loads(out)["docs"]
    assert docs[0]["names"] == "هم‌افزایی Synergy" and docs[0]["variants"] == "همافزایی 1397"
    assert "names" not in docs[1] and docs[1]["variants"] == "تعریفها"

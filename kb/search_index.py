"""Make Material's search index work for Persian readers (and English ones).

Material builds its lunr index in the browser from search/search_index.json. The hook takes
each page's entries as the search plugin makes them, passes them through `enrich_entry`, which
- adds a `variants` field: each word that a reader may type differently, in its folded form
  (no zero-width non-joiner, Latin digits, Persian letters for Arabic ones, no diacritics),
  so that همافزایی, ۱۳۹۷ or ١٣٩٧ find what the page writes as هم‌افزایی or 1397;
- adds a `names` field to each concept page: its titles and aliases in both languages, boosted
  in mkdocs.yml so that a concept's own page comes first for its name, in either language;
and writes the file with `search_index_json`: UTF-8 as such (not \\u escapes), which roughly
halves it.
The same folding runs on the query in the browser (overrides/assets/javascripts/kb-search.js),
so both sides meet.
"""

from __future__ import annotations

import json
import re
import unicodedata

_BREAKS = r"\s\-\u2013\u2014«»،؛؟!?:.,;()\[\]{}\"“”'‘’/|"
"""Characters between words: spaces, hyphen and en/em dashes, Persian and Latin punctuation."""
SEPARATOR = rf"[{_BREAKS}\u200c\u200d]+"
"""Word separator for the search plugin (hooks/kb_site.py sets it) and kb-search.js, which repeats it."""

_FOLD_LETTERS = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "ۀ": "ه", "ة": "ه", "ؤ": "و", "أ": "ا",
                               "إ": "ا", "ٱ": "ا"})
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640]")  # harakat, hamza above/below, dagger alef, tatweel
_WORD_SPLIT = re.compile(rf"[{_BREAKS}]+")  # keeps ZWNJ inside words


def fold(text: str) -> str:
    """The form both the index and the query are reduced to (ZWNJ kept: it separates tokens)."""
    text = unicodedata.normalize("NFC", text).translate(_FOLD_LETTERS).translate(_DIGITS)
    return _MARKS.sub("", text)


_FOLDABLE = "\u200c\u200d\u06f0-\u06f9\u0660-\u0669\u064b-\u065f\u0670\u0640يىكۀةؤأإٱ"
_FOLDABLE_WORD = re.compile(rf"[^{_BREAKS}]*[{_FOLDABLE}][^{_BREAKS}]*")
"""A word (between separators, non-joiners included) with something fold() would change."""
_ZWNJ_WORD = re.compile(rf"[^{_BREAKS}]*\u200c[^{_BREAKS}]*")


def word_variants(text: str) -> list[str]:
    """The folded forms of the words in text that a reader could type differently, in order."""
    seen: dict[str, None] = {}
    for word in _FOLDABLE_WORD.findall(text):  # only these can differ from their folded form
        folded = fold(word)
        joined = folded.replace("\u200c", "").replace("\u200d", "")
        if joined != word:
            seen.setdefault(joined, None)
        if folded != word and "\u200c" in folded:
            for part in folded.split("\u200c"):
                if part and part not in word.split("\u200c"):
                    seen.setdefault(part, None)
    return list(seen)


def name_key(name: str) -> str:
    """How a concept name is looked up: folded, without separators, case-insensitive.

    overrides/assets/javascripts/kb-search.js computes the same key from the query.
    """
    return re.sub(SEPARATOR, "", fold(name)).casefold()


def names_lookup(pages: dict[str, dict]) -> dict[str, dict]:
    """Name key -> {"url", "title"} of the one concept page that has that title or alias.

    pages maps a page URL to {"title": its title, "names": its names}. A name shared by two
    concepts leads nowhere: neither is promoted for it.
    """
    lookup: dict[str, dict | None] = {}
    for url in sorted(pages):
        for name in pages[url]["names"]:
            key = name_key(name)
            if not key:
                continue
            found = lookup.get(key, {"url": url})
            if found is None or found["url"] != url:
                lookup[key] = None
            else:
                lookup[key] = {"url": url, "title": pages[url]["title"]}
    return {key: value for key, value in sorted(lookup.items()) if value is not None}


def zwnj_words(entry: dict) -> set[str]:
    """The words an index entry writes with a zero-width non-joiner, folded."""
    text = re.sub(r"<[^>]+>", " ", f"{entry.get('title', '')} {entry.get('text', '')}")
    found = set()
    for word in _ZWNJ_WORD.findall(text):
        folded = fold(word).strip("\u200c")
        if "\u200c" in folded:
            found.add(folded)
    return found


def zwnj_spellings(words) -> dict[str, str]:
    """Each word written with a zero-width non-joiner, keyed by its joined form.

    The query script restores the standard spelling of a word typed without its non-joiner
    (همافزایی -> هم‌افزایی), so that it finds exactly what the standard spelling finds. A joined
    form that stands for two different spellings is left out.
    """
    found: dict[str, set[str]] = {}
    for word in words:
        found.setdefault(word.replace("\u200c", ""), set()).add(word)
    return {joined: next(iter(forms)) for joined, forms in sorted(found.items()) if len(forms) == 1}


def enrich_entry(entry: dict, names: list[str] | None) -> dict:
    """One index entry with its `variants` (and, for a concept page's own entry, its `names`)."""
    entry = dict(entry)
    variants = word_variants(f"{entry.get('title', '')} {entry.get('text', '')}")
    if names and "#" not in entry["location"]:  # the names only: rare folded forms would outrank the page
        entry["names"] = " ".join(names)
    if variants:
        entry["variants"] = " ".join(variants)
    return entry


def search_index_json(config: dict, entries: list[dict]) -> str:
    """search_index.json as Material reads it, written as plain UTF-8 (about half the size)."""
    return json.dumps({"config": config, "docs": entries}, ensure_ascii=False, separators=(",", ":"))


def search_helpers(pages: dict[str, dict], words) -> str:
    """search/kb-search.json: the name lookup and the spellings the query script uses."""
    return json.dumps({"names": names_lookup(pages), "spellings": zwnj_spellings(words)},
                      ensure_ascii=False, separators=(",", ":"))

"""What the search script needs to know of the words of the site, in small files it fetches as
a query needs them.

- names: the folded, separator-free form of every concept's titles and other names (and of the
  works' authors) -> the page it names. A query that is a name puts that page first, in either
  language: an exact name must not lose to longer words that share its beginning.
- spellings: every word the site writes with a zero-width non-joiner, by its joined form
  (همافزایی -> هم‌افزایی). A word typed without its non-joiner is shown as the site spells it,
  and two words typed with a space for the non-joiner (هم افزایی) are searched as the one word.

Both are split into shards by the first two letters of the key (search/lexicon/<hex>.json), so
that a query fetches a few small files whatever the size of the knowledge base.
"""

from __future__ import annotations

import json
import re

from ..text.folding import BREAKS, JOINERS, fold
from .documents import SearchDocument

PREFIX = 2
"""Characters of a key that name its shard."""
_SEPARATORS = re.compile(f"[{BREAKS}{JOINERS}]+")
_WORD = re.compile(f"[^{BREAKS}]+")


def name_key(name: str) -> str:
    """How a name is looked up: folded, without separators, case-insensitive (the search script
    computes the same key from the query)."""
    return _SEPARATORS.sub("", fold(name)).casefold()


def shard_of(key: str) -> str:
    """The shard file a key is in: the code points of its first letters, in hexadecimal."""
    return "-".join(f"{ord(c):04x}" for c in key[:PREFIX])


def lexicon(documents: list[SearchDocument]) -> dict[str, dict]:
    """Shard name -> {"names": {key: {url, title}}, "spellings": {joined: spelled}}, sorted.

    A name shared by two pages leads nowhere (neither is promoted for it); a joined form that
    stands for two spellings is left out.
    """
    names: dict[str, dict | None] = {}
    spellings: dict[str, set[str]] = {}
    for document in documents:
        for name in (document.title, *document.names) if document.names else ():
            key = name_key(name)
            if not key:
                continue
            found = names.get(key, {"url": document.url})
            names[key] = None if found is None or found["url"] != document.url else \
                {"url": document.url, "title": document.title}
        for section in document.sections:
            for word in _WORD.findall(f"{section.heading} {section.text}"):
                folded = fold(word).strip(JOINERS)
                if "\u200c" in folded:
                    spellings.setdefault(folded.replace("\u200c", "").replace("\u200d", ""), set()).add(folded)
    shards: dict[str, dict] = {}
    for key, target in sorted(names.items()):
        if target is not None:
            shards.setdefault(shard_of(key), {"names": {}, "spellings": {}})["names"][key] = target
    for joined, forms in sorted(spellings.items()):
        if len(forms) == 1:
            shards.setdefault(shard_of(joined.casefold()), {"names": {}, "spellings": {}})["spellings"][joined] = \
                next(iter(forms))
    return dict(sorted(shards.items()))


def shard_json(shard: dict) -> str:
    return json.dumps(shard, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

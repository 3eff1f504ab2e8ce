"""Stage 2, validate: schema and record-level checks, then the typed model.

Every problem in every record is collected; a record with problems is left out
of the model, and the pipeline stops before writing if there were any.
Checks that need other records (references, relations) belong to linking.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

from .loading import RawRecord
from .model import (
    UNKNOWN,
    Article,
    ArticleAuthor,
    ArticleCitation,
    ArticleRef,
    Bilingual,
    BilingualList,
    Concept,
    EditorsInference,
    Original,
    OutlineSection,
    Records,
    Relations,
    Section,
    Statement,
    Work,
    WorkCitation,
)
from .orthography import english_text_problems, persian_text_problems
from .problems import Problems, format_key
from .schema import ID_PATTERN, check_schema

ID_RE = re.compile(ID_PATTERN)


def validate_records(raw_records: list[RawRecord], problems: Problems) -> Records:
    """Check every record and build the model from those that pass."""
    concepts: dict[str, Concept] = {}
    works: dict[str, Work] = {}
    articles: dict[str, Article] = {}
    first_seen: dict[str, RawRecord] = {}
    broken: set[str] = set()
    for raw in raw_records:
        valid = check_schema(raw, problems)
        record_id = raw.data.get("id") if isinstance(raw.data, dict) else None
        unique = _check_identity(raw, record_id, first_seen, problems) if isinstance(record_id, str) else True
        readable = check_characters(raw, problems)
        if not valid or not unique or not readable or not _check_texts(raw, problems):
            broken.add(record_id if isinstance(record_id, str) else PurePosixPath(raw.path).stem)
            continue
        if raw.kind == "concept":
            concepts[record_id] = build_concept(raw)
        elif raw.kind == "work":
            works[record_id] = build_work(raw)
        else:
            articles[record_id] = build_article(raw)
    return Records(dict(sorted(concepts.items())), dict(sorted(works.items())),
                   dict(sorted(articles.items())), frozenset(broken))


def _check_identity(raw: RawRecord, record_id: str, first_seen: dict, problems: Problems) -> bool:
    """Check the id against the file name and earlier records; False for a duplicate."""
    line = raw.line(("id",))
    stem = PurePosixPath(raw.path).stem
    if stem != record_id and ID_RE.match(record_id):
        problems.add(raw.path, line, "id", f"id '{record_id}' does not match the file name; "
                                            f"rename the file to '{record_id}.yaml' or fix the id")
    if record_id in first_seen:
        other = first_seen[record_id]
        problems.add(raw.path, line, "id", f"duplicate id '{record_id}': also used by "
                                            f"{other.path}:{other.line(('id',))}")
        return False
    first_seen[record_id] = raw
    return True


ALLOWED_INVISIBLE = {"\u200c": "zero-width non-joiner", "\u200d": "zero-width joiner", "\n": "line break"}
"""The only control or formatting characters a record may hold: Persian needs the non-joiner
(می‌شود) and, rarely, the joiner; prose may hold line breaks (one-line fields refuse them)."""


def check_characters(raw: RawRecord, problems: Problems) -> bool:
    """Refuse control characters and invisible formatting characters (bidi overrides and
    isolates, zero-width spaces, byte-order marks...) anywhere in a record: no reader needs
    them, and they can hide text or reorder what a reader sees (U+202E turns 'cba' into 'abc')."""
    found = False
    for key_path, text in _strings(raw.data, ()):
        for index, char in enumerate(text):
            if char in ALLOWED_INVISIBLE or unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp", "Co", "Cs"):
                continue
            if unicodedata.category(char) == "Cc":
                why = "a control character; write a space instead"
            else:
                why = ("an invisible character that can hide or reorder what readers see; delete it "
                       "(the zero-width non-joiner U+200C is the one Persian needs)")
            problems.add(raw.path, raw.line(key_path), format_key(key_path),
                         f"contains {_character_name(char)} at character {index + 1}, {why}")
            found = True
            break  # one message per value
    return not found


def _character_name(char: str) -> str:
    name = unicodedata.name(char, "")
    if not name:
        name = {"\t": "TAB", "\r": "CARRIAGE RETURN", "\x00": "NUL"}.get(char, "a control character")
    return f"U+{ord(char):04X} {name}"


def _strings(data, path: tuple):
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, path + (index,))


def _check_texts(raw: RawRecord, problems: Problems) -> bool:
    """Check every fa/en pair: the right script, and not the same text twice."""
    found = False
    for key_path, pair in _bilingual_values(raw.data, ()):
        if _is_name_or_as_published(key_path):
            continue  # printed forms are kept exactly as the article prints them
        fa, en = pair.get("fa"), pair.get("en")
        for lang, value, check in (("fa", fa, persian_text_problems), ("en", en, english_text_problems)):
            for index, text in _texts(value):
                for message in check(text):
                    path = key_path + (lang,) + ((index,) if index is not None else ())
                    problems.add(raw.path, raw.line(path), format_key(path), message)
                    found = True
        if isinstance(fa, str) and fa == en:
            problems.add(raw.path, raw.line(key_path + ("fa",)), format_key(key_path),
                         "the Persian and English texts are identical; translate one of them")
            found = True
    return not found


def _is_name_or_as_published(key_path: tuple) -> bool:
    """Fields where a value may legitimately be in one script only (printed forms)."""
    return any(part in ("name_as_published", "affiliation_as_published", "published")
               for part in key_path)


def _bilingual_values(data, path: tuple):
    if isinstance(data, dict):
        if "fa" in data and "en" in data:
            yield path, data
        for key, value in data.items():
            yield from _bilingual_values(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _bilingual_values(value, path + (index,))


def _texts(value):
    if isinstance(value, str):
        yield None, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str) and item != UNKNOWN:
                yield index, item


# --- building the model from valid data -------------------------------------------------


def _bi(data: dict) -> Bilingual:
    return Bilingual(fa=" ".join(data["fa"].split()), en=" ".join(data["en"].split()))


def _bi_list(data: dict) -> BilingualList:
    return BilingualList(fa=tuple(" ".join(x.split()) for x in data["fa"]),
                         en=tuple(" ".join(x.split()) for x in data["en"]))


def _source(data: dict):
    if "work" in data:
        return WorkCitation(work=data["work"], page=data["page"])
    return ArticleCitation(article=data["article"], section=data["section"])


def _statement(data: dict) -> Statement:
    return Statement(text=_bi(data["text"]), sources=tuple(_source(s) for s in data["sources"]))


def build_concept(raw: RawRecord) -> Concept:
    d = raw.data
    relations = d.get("relations", {})
    return Concept(
        id=d["id"], path=raw.path, title=_bi(d["title"]), aliases=_bi_list(d["aliases"]),
        summary=_bi(d["summary"]),
        in_article=tuple(ArticleRef(a["article"], tuple(a["sections"])) for a in d["in_article"]),
        definitions=tuple(_statement(s) for s in d["definitions"]),
        sections=tuple(Section(id=s["id"], title=_bi(s["title"]),
                               paragraphs=tuple(_statement(p) for p in s["paragraphs"]))
                       for s in d.get("sections", [])),
        relations=_relations(relations),
        notes=tuple(_bi(n) for n in d.get("notes", [])),
    )


def _relations(data: dict) -> Relations:
    """Each kind's ids; an item written {concept, editors_inference} is also kept as an inference."""
    def target(item) -> str:
        return item if isinstance(item, str) else item["concept"]
    inferences = tuple(EditorsInference(kind, item["concept"], _bi(item["editors_inference"]))
                       for kind, items in data.items() for item in items if isinstance(item, dict))
    return Relations(**{kind: tuple(target(i) for i in items) for kind, items in data.items()},
                     editors_inferences=inferences)


def _original(value):
    if value == UNKNOWN:
        return UNKNOWN
    return Original(original=value["original"], translated=value.get("translated"))


def build_work(raw: RawRecord) -> Work:
    d = raw.data
    return Work(
        id=d["id"], path=raw.path, authors=tuple(_bi(a) for a in d["authors"]),
        et_al=d.get("et_al", False), script=d["script"], year=d["year"], calendar=d["calendar"],
        title=_original(d["title"]), container=_original(d["container"]),
        publisher=_original(d["publisher"]), cited_in=tuple(d["cited_in"]),
        as_cited=tuple(d["as_cited"]), note=_bi(d["note"]) if "note" in d else None,
    )


def build_article(raw: RawRecord) -> Article:
    d = raw.data
    return Article(
        id=d["id"], path=raw.path, title=_bi(d["title"]),
        published_title=d["published_title"]["en"], sic=tuple(d["published_title"]["sic"]),
        type=_bi(d["type"]),
        authors=tuple(ArticleAuthor(name=_bi(a["name"]), name_as_published=dict(a["name_as_published"]),
                                    affiliation=_bi(a["affiliation"]),
                                    affiliation_as_published_en=a["affiliation_as_published_en"])
                      for a in d["authors"]),
        journal=d["journal"], year=d["year"], volume=d["volume"], issue=d["issue"],
        pages=d["pages"], doi=d["doi"], abstract=_bi(d["abstract"]), question=_bi(d["question"]),
        thesis=_bi(d["thesis"]), method=_bi(d["method"]),
        keywords_published=_bi_list(d["keywords"]["published"]),
        keywords_translated=_bi_list(d["keywords"]["translated"]),
        keywords_note=_bi(d["keywords"]["note"]),
        outline=tuple(OutlineSection(id=s["id"], title=_bi(s["title"]), summary=_bi(s["summary"]),
                                     heading_as_published=s.get("heading_as_published"),
                                     parent=s.get("parent"), truncated=s.get("truncated", False))
                      for s in d["outline"]),
        text_status=tuple(_bi(t) for t in d["text_status"]),
    )

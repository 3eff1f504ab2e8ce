"""Property-based tests: random valid record sets build into sites whose links all resolve,
deterministically, and incrementally to the same result as from scratch."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import build_kb
from tests.support.project import FIXTURES, make_project, publish_site
from tests.support.site_check import check_links

PERSIAN = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
MARKUP = "*_<>&{}#`!|~\\"
ids = st.from_regex(r"[a-z]{2,6}(-[a-z0-9]{1,4})?", fullmatch=True)


def persian_text(min_words=1, max_words=12):
    word = st.text(alphabet=PERSIAN + "\u200c", min_size=1, max_size=8).filter(
        lambda w: not w.startswith("\u200c") and not w.endswith("\u200c"))
    extra = st.text(alphabet=MARKUP + "()«»،؛0123456789", max_size=3)
    return st.tuples(st.lists(word, min_size=min_words, max_size=max_words), extra).map(
        lambda t: "متن " + " ".join(t[0]) + " " + t[1])


def english_text(min_words=1, max_words=12):
    word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEF", min_size=1, max_size=8)
    extra = st.text(alphabet=MARKUP + "()\"'.,;:0123456789", max_size=3)
    return st.tuples(st.lists(word, min_size=min_words, max_size=max_words), extra).map(
        lambda t: "Text " + " ".join(t[0]) + " " + t[1])


@st.composite
def record_sets(draw):
    """A random valid set of concepts, over the small fixture's works and article."""
    concept_ids = draw(st.lists(ids, min_size=1, max_size=6, unique=True))
    concepts = {}
    for i, cid in enumerate(concept_ids):
        def statement():
            link = (f" [[{draw(st.sampled_from(concept_ids))}]]" if draw(st.booleans()) else "")
            return {"text": {"fa": draw(persian_text()) + link, "en": draw(english_text()) + link},
                    "sources": [draw(st.sampled_from([{"work": "karimi-1398", "page": "7"},
                                                      {"work": "smith-jones-2010", "page": "12"},
                                                      {"article": "test-article", "section": "intro"}]))]}
        sections = [{"id": f"part-{k}", "title": {"fa": draw(persian_text(1, 3)), "en": draw(english_text(1, 3))},
                     "paragraphs": [statement()]} for k in range(draw(st.integers(0, 2)))]
        record = {"id": cid, "title": {"fa": draw(persian_text(1, 3)), "en": draw(english_text(1, 3))},
                  "aliases": {"fa": [], "en": draw(st.lists(english_text(1, 2), max_size=1))},
                  "summary": {"fa": draw(persian_text()), "en": draw(english_text())},
                  "in_article": [{"article": "test-article", "sections": ["intro"]}],
                  "definitions": [statement() for _ in range(draw(st.integers(1, 2)))]}
        if sections:
            record["sections"] = sections
        if i and draw(st.booleans()):  # a forest: broader concepts come first, so no cycles
            record["relations"] = {"broader": [concept_ids[draw(st.integers(0, i - 1))]]}
        concepts[cid] = record
    return concepts


def write_records(root: Path, concepts: dict) -> None:
    records = root / "concepts"
    if records.exists():
        shutil.rmtree(records)
    shutil.copytree(FIXTURES / "small" / "concepts" / "works", records / "works")
    shutil.copytree(FIXTURES / "small" / "concepts" / "articles", records / "articles")
    # the fixture's works must stay cited: one concept always cites both
    concepts = dict(concepts)
    concepts["anchor-concept"] = {
        "id": "anchor-concept", "title": {"fa": "لنگر", "en": "Anchor"}, "aliases": {"fa": [], "en": []},
        "summary": {"fa": "خلاصه", "en": "Summary"},
        "in_article": [{"article": "test-article", "sections": ["intro", "part-one"]}],
        "definitions": [{"text": {"fa": "متن", "en": "Text"},
                         "sources": [{"work": w, "page": "1"} for w in ("karimi-1398", "smith-jones-2010",
                                                                         "rahimi-et-al-1390")]}]}
    for cid, record in concepts.items():
        (records / f"{cid}.yaml").write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False),
                                             encoding="utf-8")
    shutil.copy2(FIXTURES / "small" / "kb.yml", root / "kb.yml")


def build(root: Path, docs: Path) -> dict[str, bytes]:
    assert build_kb.main(["--root", str(root), "--docs", str(docs), "--quiet"]) == 0
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*"))
            if p.is_file() and p.name != ".kb-manifest.json"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record_sets(), record_sets())
def test_builds_are_deterministic_and_incremental_builds_equal_clean_ones(first, second):
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        write_records(root, first)
        one, two = build(root, root / "docs-a"), build(root, root / "docs-b")
        assert one == two  # deterministic
        incremental = root / "docs-a"
        write_records(root, {**first, **second})  # change, add and keep records
        after_change = build(root, incremental)
        shutil.rmtree(root / ".kb-cache")
        assert after_change == build(root, root / "docs-clean")


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record_sets())
def test_every_link_and_anchor_of_a_random_site_resolves(concepts):
    with tempfile.TemporaryDirectory() as scratch:
        records = Path(scratch) / "records"
        write_records(records, concepts)
        project = make_project(Path(scratch) / "project", records / "concepts", records / "kb.yml")
        site = publish_site(project)
        assert check_links(site) == []

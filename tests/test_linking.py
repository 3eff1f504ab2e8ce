"""Link stage: relations shown on both pages, backlinks, citations per work, and graph mistakes."""

from __future__ import annotations

from kb.linking import Citation
from kb.pipeline import run


def linked(paths):
    result = run(paths, write=False)
    assert result.ok, [str(p) for p in result.problems.sorted()]
    return result.kb


def problems_of(paths) -> list[str]:
    return [str(p) for p in run(paths, write=False).problems.sorted()]


def test_relations_stated_on_one_page_are_shown_on_both(small_kb):
    kb = linked(small_kb)
    assert kb.relations["twin-towns"]["broader"] == ("city-diplomacy",)        # stated
    assert kb.relations["city-diplomacy"]["narrower"] == ("twin-towns",)        # inferred
    assert kb.relations["local-governance"]["related"] == ("city-diplomacy",)   # inferred, symmetric
    assert kb.relations["local-governance"]["contrasted"] == ("urban-landscape",)


def test_backlinks_list_every_concept_whose_page_links_here(small_kb):
    kb = linked(small_kb)
    # twin-towns is linked from city-diplomacy's text and relations
    assert kb.backlinks["twin-towns"] == ("city-diplomacy",)
    assert kb.backlinks["city-diplomacy"] == ("local-governance", "twin-towns")


def test_citations_are_collected_per_work_with_section_and_page(small_kb):
    kb = linked(small_kb)
    assert kb.citations["smith-jones-2010"] == (Citation("city-diplomacy", "definitions", "12"),
                                                Citation("city-diplomacy", "forms", "12"))
    assert kb.citations["karimi-1398"] == (Citation("city-diplomacy", "definitions", "7"),
                                           Citation("urban-landscape", "definitions", "7"))


def test_concepts_are_listed_under_the_article_sections_they_come_from(small_kb):
    kb = linked(small_kb)
    assert kb.section_concepts[("test-article", "part-one")] == ("city-diplomacy", "twin-towns")


def test_a_broader_cycle_is_reported(small_kb, write_record):
    text = (small_kb.records / "city-diplomacy.yaml").read_text(encoding="utf-8")
    write_record("city-diplomacy.yaml", text.replace("relations:\n  related: [local-governance]",
                                                     "relations:\n  broader: [local-governance]"))
    text = (small_kb.records / "local-governance.yaml").read_text(encoding="utf-8")
    write_record("local-governance.yaml", text + "relations:\n  broader: [twin-towns]\n")
    found = problems_of(small_kb)
    assert any("broader relations form a cycle" in p and "city-diplomacy" in p for p in found), found


def test_a_concept_cannot_relate_to_itself(small_kb, write_record):
    text = (small_kb.records / "urban-landscape.yaml").read_text(encoding="utf-8")
    write_record("urban-landscape.yaml", text.replace("contrasted: [local-governance]",
                                                      "contrasted: [urban-landscape]"))
    assert problems_of(small_kb) == [
        "concepts/urban-landscape.yaml:11: relations.contrasted[0]: a concept cannot list itself as contrasted"]


def test_a_section_may_not_take_an_anchor_the_page_uses(small_kb, write_record):
    text = (small_kb.records / "city-diplomacy.yaml").read_text(encoding="utf-8")
    write_record("city-diplomacy.yaml", text.replace("  - id: forms", "  - id: relations"))
    assert problems_of(small_kb) == [
        "concepts/city-diplomacy.yaml:13: sections[0].id: section id 'relations' is reserved for the "
        "page's own 'relations' section; choose another id"]


def test_a_work_nobody_cites_is_reported(small_kb, write_record):
    text = (small_kb.records / "works" / "karimi-1398.yaml").read_text(encoding="utf-8")
    write_record("works/karimi-1399.yaml", text.replace("karimi-1398", "karimi-1399"))
    assert problems_of(small_kb) == [
        "concepts/works/karimi-1399.yaml:1: id: work 'karimi-1399' is not cited by any concept; "
        "cite it where the article does, or delete the record"]


def test_a_work_must_be_cited_by_the_article_the_concept_comes_from(small_kb, write_record):
    text = (small_kb.records / "works" / "karimi-1398.yaml").read_text(encoding="utf-8")
    write_record("works/karimi-1398.yaml", text.replace("cited_in: [test-article]", "cited_in: [other-article]"))
    found = problems_of(small_kb)
    assert "concepts/works/karimi-1398.yaml:10: cited_in[0]: unknown article 'other-article'; did you mean 'test-article'?" in found
    assert ("concepts/city-diplomacy.yaml:11: definitions[1].sources[0].work: work 'karimi-1398' is not "
            "cited by any article this concept comes from (test-article); add the article to the work's "
            "cited_in, or correct the source") in found


_INFERRED = '''relations:
  contrasted: [local-governance]
  related:
    - concept: twin-towns
      editors_inference:
        fa: مقالهٔ آزمایشی این دو را به هم ربط نمی‌دهد؛ این پیوند برداشت ویراستاران است.
        en: The test article does not relate the two; the link is the editors’ inference.'''


def _with_inferred_relation(small_kb, write_record):
    text = (small_kb.records / "urban-landscape.yaml").read_text(encoding="utf-8")
    write_record("urban-landscape.yaml", text.replace("relations:\n  contrasted: [local-governance]", _INFERRED))


def test_a_relation_the_editors_infer_is_kept_with_its_reason_for_both_concepts(small_kb, write_record):
    _with_inferred_relation(small_kb, write_record)
    kb = linked(small_kb)
    assert kb.relations["twin-towns"]["related"] == ("urban-landscape",)
    assert kb.inferences[frozenset({"twin-towns", "urban-landscape"})].en.startswith("The test article does not")
    assert set(kb.inferences) == {frozenset({"twin-towns", "urban-landscape"})}


def test_a_relation_stated_as_inference_on_one_page_and_as_the_articles_on_the_other_is_reported(
        small_kb, write_record):
    _with_inferred_relation(small_kb, write_record)
    text = (small_kb.records / "twin-towns.yaml").read_text(encoding="utf-8")
    write_record("twin-towns.yaml", text.replace("  broader: [city-diplomacy]",
                                                 "  broader: [city-diplomacy]\n  related: [urban-landscape]"))
    assert problems_of(small_kb) == [
        "concepts/twin-towns.yaml:12: relations.related[0]: 'urban-landscape' states this relation as the "
        "editors' inference; state it the same way here ({concept: ..., editors_inference: ...}) or remove one "
        "of the two"]

"""The export site/kb.json: valid against its schema, complete, and served with the site."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest

from kb.render.export import export_knowledge_base
from tests.support.project import REPO, repo_build, repo_settings

SCHEMA = json.loads((REPO / "schema" / "kb-export.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def exported():
    result = repo_build()
    assert result.ok
    return result.kb, export_knowledge_base(result.kb, repo_settings())


def test_the_export_matches_its_schema(exported):
    _, data = exported
    jsonschema.Draft7Validator(SCHEMA).validate(data)


def test_the_export_has_every_concept_and_work_with_their_citations(exported):
    kb, data = exported
    assert [c["id"] for c in data["concepts"]] == list(kb.concepts)
    assert [w["id"] for w in data["works"]] == list(kb.works)
    urban = next(c for c in data["concepts"] if c["id"] == "urban-diplomacy")
    assert urban["title"] == {"fa": "دیپلماسی شهری", "en": "Urban diplomacy"}
    assert "City diplomacy" in urban["aliases"]["en"]
    assert {"work": "jamali-nejad-1392", "page": "61", "section": "definitions"} in urban["citations"]
    assert "bilateral-city-diplomacy" in urban["relations"]["narrower"]  # inferred from that record
    assert "sister-cities" in urban["relations"]["related"]  # stated in sister-cities' record, made mutual
    cited = {(c["work"], c["page"]) for concept in data["concepts"] for c in concept["citations"]}
    assert {w["id"] for w in data["works"]} == {work for work, _ in cited}


def test_what_the_article_does_not_give_is_null_not_guessed(exported):
    _, data = exported
    for work in data["works"]:
        assert work["title"] is None and work["container"] is None and work["publisher"] is None
    dehshiri = next(w for w in data["works"] if w["id"] == "dehshiri-khorrami-1397")
    assert dehshiri["year"] == "1397" and dehshiri["gregorian_years"] == "2018–19"
    article = data["articles"][0]
    assert article["journal"] is None and article["year"] is None and article["doi"] is None
    assert article["published_title_en"].startswith("Necessity and Aequirements")


def test_the_site_serves_the_export_and_links_to_it(repo_site):
    data = json.loads((repo_site / "kb.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(SCHEMA).validate(data)
    # The home and bibliography pages of both languages link to it, each by its own relative path.
    for page in ("index.html", "bibliography/index.html", "en/index.html", "en/bibliography/index.html"):
        html = (repo_site / page).read_text(encoding="utf-8")
        targets = {(repo_site / page).parent.joinpath(href).resolve()
                   for href in re.findall(r'href="([^"#]*kb\.json)"', html)}
        assert targets == {(repo_site / "kb.json").resolve()}, page

"""Load and validate stages: what the model gets, and the messages for mistakes the corpus does not cover."""

from __future__ import annotations

from kb.records.loading import find_record_files, load_records
from kb.records.model import ArticleCitation, Bilingual, WorkCitation
from kb.pipeline import run
from kb.records.problems import Problems
from kb.records.validation import validate_records


def problems_of(paths) -> list[str]:
    return [str(p) for p in run(paths, write=False).problems.sorted()]


def test_valid_records_become_the_typed_model(small_kb):
    problems = Problems()
    raw = load_records(small_kb.root, find_record_files(small_kb.root, small_kb.records, problems), problems)
    records = validate_records(raw, problems)
    assert not problems
    assert list(records.concepts) == ["city-diplomacy", "local-governance", "twin-towns", "urban-landscape"]
    concept = records.concepts["city-diplomacy"]
    assert concept.title == Bilingual(fa="دیپلماسی شهری", en="City diplomacy")
    assert concept.aliases.en == ("Urban diplomacy",)
    assert concept.definitions[1].sources == (WorkCitation("karimi-1398", "7"),
                                             ArticleCitation("test-article", "intro"))
    work = records.works["smith-jones-2010"]
    assert [a.en for a in work.authors] == ["Smith", "Jones"]
    assert work.title.original == "Cities Abroad" and work.container == "unknown"


def test_line_numbers_point_at_the_offending_value(small_kb, write_record):
    write_record("lines.yaml", "\n".join([
        "id: lines",
        "title:",
        "  fa: خط",
        "  en: Lines",
        "aliases: {fa: [], en: []}",
        "summary: {fa: خلاصه, en: Summary}",
        "in_article:",
        "  - {article: test-article, sections: [intro]}",
        "definitions:",
        "  - text: {fa: متن, en: Text}",
        "    sources:",
        "      - {work: karimi-1398, page: \"7\"}",
        "      - {work: karimi-1398, pages: \"8\"}",
        ""]))
    assert problems_of(small_kb) == [
        "concepts/lines.yaml:13: definitions[0].sources[1]: missing required key 'page'",
        "concepts/lines.yaml:13: definitions[0].sources[1].pages: unknown key 'pages'; did you mean 'page'?",
    ]


def test_enum_mistakes_get_a_suggestion(small_kb, write_record):
    text = (small_kb.records / "works" / "karimi-1398.yaml").read_text(encoding="utf-8")
    write_record("works/karimi-1398.yaml", text.replace("calendar: solar-hijri", "calendar: solar-hejri"))
    assert problems_of(small_kb) == [
        "concepts/works/karimi-1398.yaml:6: calendar: 'solar-hejri' is not allowed here; expected one of: "
        "solar-hijri, gregorian; did you mean 'solar-hijri'?",
    ]


def test_unknown_is_the_only_word_for_missing_bibliographic_data(small_kb, write_record):
    text = (small_kb.records / "works" / "karimi-1398.yaml").read_text(encoding="utf-8")
    write_record("works/karimi-1398.yaml", text.replace("title: unknown", "title: Some Title"))
    assert problems_of(small_kb) == [
        "concepts/works/karimi-1398.yaml:7: title: expected 'unknown' or a mapping with 'original', "
        "but found the text 'Some Title'",
    ]


def test_a_file_whose_name_differs_from_its_id_is_reported(small_kb, write_record):
    text = (small_kb.records / "local-governance.yaml").read_text(encoding="utf-8")
    (small_kb.records / "local-governance.yaml").unlink()
    write_record("governance.yaml", text)
    assert problems_of(small_kb) == [
        "concepts/governance.yaml:1: id: id 'local-governance' does not match the file name; "
        "rename the file to 'local-governance.yaml' or fix the id",
    ]


def test_a_reference_to_a_broken_record_is_not_reported_twice(small_kb, write_record):
    write_record("twin-towns.yaml", "id: twin-towns\ntitle: [oops]\n")
    found = problems_of(small_kb)
    assert all(p.startswith("concepts/twin-towns.yaml") for p in found), found


def test_all_problems_are_reported_at_once_sorted_by_file_and_line(small_kb, write_record):
    write_record("b.yaml", "id: b\ntitle: {fa: ب}\n")
    write_record("a.yaml", "id: a\n\ttitle: x\n")
    found = problems_of(small_kb)
    assert [p.split(":")[0] for p in found] == sorted(p.split(":")[0] for p in found)
    assert found[0].startswith("concepts/a.yaml:2: YAML syntax error")
    assert any(p.startswith("concepts/b.yaml:2: title: missing the English text") for p in found)


def test_unknown_folder_in_concepts_is_reported(small_kb):
    (small_kb.records / "drafts").mkdir()
    assert problems_of(small_kb) == [
        "concepts/drafts: unknown folder: concepts go in concepts/, cited works in concepts/works/, "
        "source articles in concepts/articles/",
    ]


def _settings_with(small_kb, old: str, new: str) -> None:
    text = small_kb.settings.read_text(encoding="utf-8")
    assert old in text
    small_kb.settings.write_text(text.replace(old, new), encoding="utf-8")


def test_a_site_url_must_be_an_http_address_that_needs_no_escaping(small_kb):
    _settings_with(small_kb, 'site_url: ""', 'site_url: "https://example.org/kb\\"><script>/"')
    assert problems_of(small_kb) == [
        "kb.yml:5: site_url: 'https://example.org/kb\"><script>/' contains '\"', '<', '>', which an address "
        "may not hold as such (the pages print it in HTML; percent-encode it, & as %26); write it as "
        "\"https://host/path/\" (http or https, ending with /), or leave it empty"]
    _settings_with(small_kb, 'https://example.org/kb\\"><script>/', "javascript:alert(1)//")
    assert problems_of(small_kb) == [
        "kb.yml:5: site_url: 'javascript:alert(1)//' is not an http(s) address; write it as \"https://host/path/\" "
        "(http or https, ending with /), or leave it empty"]
    _settings_with(small_kb, "javascript:alert(1)//", "https://example.org/k&b/")  # & means something in HTML
    assert problems_of(small_kb) == [
        "kb.yml:5: site_url: 'https://example.org/k&b/' contains '&', which an address may not hold as such (the "
        "pages print it in HTML; percent-encode it, & as %26); write it as \"https://host/path/\" (http or https, "
        "ending with /), or leave it empty"]
    _settings_with(small_kb, "https://example.org/k&b/", "https://example.org/k%26b/")
    assert problems_of(small_kb) == []


def test_the_settings_name_is_one_line_of_visible_text(small_kb):
    _settings_with(small_kb, 'en: "Test KB"', 'en: "Test\\nKB\u202e"')
    assert problems_of(small_kb) == [
        "kb.yml:1: name.en: contains U+202E RIGHT-TO-LEFT OVERRIDE at character 8, an invisible character that can "
        "hide or reorder what readers see; delete it (the zero-width non-joiner U+200C is the one Persian needs)",
        "kb.yml:1: name.en: contains a line break at character 5; this field is one line (a title, a name or a "
        "reference, which pages and exports print on one line): write it on one line"]

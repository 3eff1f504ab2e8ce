"""The knowledge base's content rules, checked over every record and every generated page.

- Your own words: no run of 10 consecutive words of the article text appears in concepts/ or in
  the generated docs/ (compared after unifying letters, removing ZWNJ, diacritics and punctuation).
  The titles are exempt: they must be reproduced exactly.
- Correct Persian: Persian ی and ک, and the zero-width non-joiner in the common compounds listed here.
- Every concept cites a source or says plainly that the article gives none; every work is cited.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import pytest

from kb.records.model import ArticleCitation, WorkCitation
from kb.render.pages import render_site
from tests.support.project import REPO, repo_build, repo_settings

SEED = REPO.parent / "shared" / "seed"
RUN_DIGESTS = REPO / "tests" / "fixtures" / "article-runs.sha256"
"""One-way hashes of the article's normalised 10-word runs: the check runs anywhere, and the
repository does not redistribute the article's text. Regenerated with --update-golden."""
RUN = 10
EXEMPT_VERBATIM = [
    # The article's titles must be given exactly as published.
    "همافزایی دیپلماسی شهری با دیپلماسی عمومی در حوزه تعاملات فرهنگی و اقتصادی",
    "Necessity and Aequirements of Synergy Urban diplomacy with Public diplomacy in Cultural and "
    "Economic Interaction in Foreign policy",
]


def normalise_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u200c", "").replace("\u200d", "")
    text = text.translate(str.maketrans("يكىۀةأإ۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "یکیههاا01234567890123456789"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    text = re.sub(r"[^\w\s]", " ", text.casefold())
    return text.split()


def runs(words: list[str], n: int = RUN) -> set[tuple[str, ...]]:
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def digest(run_of_words: tuple[str, ...]) -> str:
    return hashlib.sha256(" ".join(run_of_words).encode("utf-8")).hexdigest()[:16]


def seed_run_digests() -> set[str]:
    found = set()
    for path in sorted(SEED.glob("*.txt")):
        found |= runs(normalise_words(path.read_text(encoding="utf-8")))
    for verbatim in EXEMPT_VERBATIM:
        found -= runs(normalise_words(verbatim))
    return {digest(r) for r in found}


@pytest.fixture(scope="module")
def article_runs() -> set[str]:
    return set(RUN_DIGESTS.read_text(encoding="utf-8").split())


def test_the_run_digests_match_the_article_text(update_golden):
    if not any(SEED.glob("*.txt")):
        pytest.skip(f"the article text is not at {SEED}; the committed digests are used as they are")
    expected = seed_run_digests()
    if update_golden:
        RUN_DIGESTS.write_text("\n".join(sorted(expected)) + "\n", encoding="utf-8")
    assert set(RUN_DIGESTS.read_text(encoding="utf-8").split()) == expected


@pytest.fixture(scope="module")
def repo_kb():
    result = repo_build()
    assert result.ok, [str(p) for p in result.problems.sorted()]
    return result.kb


@pytest.fixture(scope="module")
def texts(repo_kb) -> dict[str, str]:
    """Every record file and every page the records generate, by name."""
    found = {p.relative_to(REPO).as_posix(): p.read_text(encoding="utf-8")
             for p in sorted((REPO / "concepts").rglob("*.yaml"))}
    for page in render_site(repo_kb, repo_settings()):
        found["docs/" + page.path] = page.text
    for page in sorted((REPO / "docs").rglob("about.md")):
        found[page.relative_to(REPO).as_posix()] = page.read_text(encoding="utf-8")
    return found


def test_no_ten_word_run_of_the_article_is_copied(article_runs, texts):
    copied = []
    for name, text in texts.items():
        for match in runs(normalise_words(text)):
            if digest(match) in article_runs:
                copied.append(f"{name}: {' '.join(match)}")
    assert copied == []


def test_the_paraphrase_check_would_catch_a_copied_sentence(article_runs):
    # The introduction's first sentence as printed (without ZWNJ), quoted here for the test only.
    sentence = ("دیپلماسی ابزاری است که به واسطه آن کشورها از خلال نمایندگان رسمی و غیررسمی به مدیریت، "
                "هماهنگی و صیانت منافع ویژه")
    assert {digest(r) for r in runs(normalise_words(sentence))} & article_runs
    assert not {digest(r) for r in runs(normalise_words("دیپلماسی ابزاری است برای کشورها"))} & article_runs


ARABIC_LETTERS = {"ي": "ی", "ك": "ک", "ى": "ی"}

# Compounds that need a zero-width non-joiner (written here without one).
NEEDS_ZWNJ = ["بینالملل", "بینالمللی", "همافزایی", "همتکمیلی", "دولتملت", "دولتشهر", "مردمنهاد",
              "جهانیشدن", "کلانشهر", "آنها", "اینها", "بیشک", "پسکرانه"]
# Words that start with می but are not the verb prefix می‌.
NOT_VERB_PREFIX = {"میان", "میانه", "میانجی", "میانجیگری", "میز", "میزان", "میراث", "میلادی", "میلیون",
                   "میهن", "میدان", "میل", "میوه", "مینا", "میکرو", "میلیارد", "میانی", "میزبان"}
JOINING_BEFORE_SUFFIX = re.compile(r"[بپتثجچحخسشصضطظعغفقکگلمنهیئ](ها|های|هایی|هایش|هاست)$")
NOT_PLURAL = {"تنها", "تنهایی", "بها", "بهای", "نهایی"}
PERSIAN_WORD = re.compile(r"[\u0600-\u06ff\u200c]+")


def persian_spelling_problems(text: str) -> list[str]:
    problems = [f"Arabic '{a}' (use '{p}')" for a, p in ARABIC_LETTERS.items() if a in text]
    for word in PERSIAN_WORD.findall(text):
        bare = word.strip("\u200c")
        if bare in NEEDS_ZWNJ:
            problems.append(f"'{bare}' needs a zero-width non-joiner")
        elif re.match(r"^ن?می[آ-ی]", bare) and "\u200c" not in bare[:4] \
                and bare.removeprefix("ن") not in NOT_VERB_PREFIX \
                and not any(bare.removeprefix("ن").startswith(w) for w in NOT_VERB_PREFIX):
            problems.append(f"'{bare}': write the prefix as می‌ with a zero-width non-joiner")
        elif JOINING_BEFORE_SUFFIX.search(bare) and "\u200c" not in bare and bare not in NOT_PLURAL:
            problems.append(f"'{bare}': join ها/های with a zero-width non-joiner")
    if re.search(r"(^|\s)ن?می\s+[آ-ی]", text):
        problems.append("'می ' written with a space; use the zero-width non-joiner")
    return problems


def persian_strings(data) -> list[str]:
    """Every Persian text of a loaded record (values under a 'fa' key)."""
    found = []
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "fa":
                found.extend([value] if isinstance(value, str) else [v for v in value if isinstance(v, str)])
            else:
                found.extend(persian_strings(value))
    elif isinstance(data, list):
        for item in data:
            found.extend(persian_strings(item))
    return found


def test_persian_spelling_in_every_record_and_interface_text():
    import yaml

    problems = []
    sources = sorted((REPO / "concepts").rglob("*.yaml")) + [REPO / "kb" / "render" / "labels.yaml"]
    for path in sources:
        for text in persian_strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            problems.extend(f"{path.relative_to(REPO)}: {p}" for p in persian_spelling_problems(text))
    for path in sorted((REPO / "kb" / "render" / "templates").glob("*.fa.*")) + sorted((REPO / "docs" / "fa").glob("about.md")):
        problems.extend(f"{path.relative_to(REPO)}: {p}"
                        for p in persian_spelling_problems(path.read_text(encoding="utf-8")))
    assert problems == []


@pytest.mark.parametrize("text, problem", [
    ("كتاب", "Arabic 'ك' (use 'ک')"),
    ("روابط بینالمللی", "'بینالمللی' needs a zero-width non-joiner"),
    ("میتوانند", "'میتوانند': write the prefix as می‌ with a zero-width non-joiner"),
    ("سازمانهای مردم‌نهاد", "'سازمانهای': join ها/های with a zero-width non-joiner"),
    ("می شود", "'می ' written with a space; use the zero-width non-joiner"),
])
def test_the_spelling_check_finds_each_mistake(text, problem):
    assert problem in persian_spelling_problems(text)


def test_correct_spelling_passes_the_check():
    assert persian_spelling_problems("می‌توانند در میان سازمان‌های بین‌المللی و کشورها تنها هم‌افزایی بسازند") == []


NO_SOURCE_PHRASES = {"fa": ["منبعی نمی‌آورد", "منبعی ذکر نمی‌کند", "ارجاعی نمی‌دهد", "بی‌ارجاع"],
                     "en": ["cites no source", "gives no source", "no source"]}


def test_every_concept_cites_a_source_or_says_it_has_none(repo_kb):
    for concept in repo_kb.concepts.values():
        statements = list(concept.definitions) + [p for s in concept.sections for p in s.paragraphs]
        if any(isinstance(src, WorkCitation) for st in statements for src in st.sources):
            continue
        assert all(isinstance(src, ArticleCitation) for st in statements for src in st.sources)
        for lang, phrases in NO_SOURCE_PHRASES.items():
            said = " ".join(st.text[lang] for st in statements) + " ".join(n[lang] for n in concept.notes)
            assert any(p in said for p in phrases), f"{concept.id}: the {lang} text must say it has no source"


def test_every_work_is_cited_and_every_concept_has_a_definition(repo_kb):
    assert all(repo_kb.citations[work] for work in repo_kb.works)
    assert all(concept.definitions for concept in repo_kb.concepts.values())


def test_the_whole_article_is_covered(repo_kb):
    required = ["diplomacy", "traditional-diplomacy", "new-forms-of-diplomacy", "urban-diplomacy",
                "public-diplomacy", "soft-power", "national-interest", "foreign-policy",
                "high-and-low-politics", "sub-national-actors", "civil-society-organisations",
                "city-networks", "six-themes-of-city-diplomacy", "bilateral-city-diplomacy",
                "multilateral-city-diplomacy", "sister-cities", "globalisation-and-sovereignty",
                "history-of-urban-diplomacy", "synergy-of-urban-and-public-diplomacy"]
    assert set(required) <= set(repo_kb.concepts)
    article = repo_kb.articles["khosravi-et-al-synergy"]
    assert [s.id for s in article.outline] == ["abstract", "introduction", "part-a", "part-b",
                                               "sister-cities-passage"]
    assert article.outline[-1].truncated
    assert "Aequirements" in article.published_title and article.sic == ("Aequirements",)
    assert all(repo_kb.section_concepts.get((article.id, s.id)) for s in article.outline)

"""Synthetic but realistic record sets for the benchmark: N bilingual concepts of about 800 words
(both languages together).

Deterministic for a given N and seed. Each concept has titles, aliases, a summary, three
definitions and two sections of paragraphs (Persian with zero-width non-joiners, English),
a broader concept (a forest of trees), a few related concepts and citations to works with pages.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

FA_WORDS = ("دیپلماسی شهری عمومی سیاست خارجی منافع ملی شهرها دولت‌ها سازمان‌های مردم‌نهاد همکاری "
            "بین‌المللی هم‌افزایی گردشگری سرمایه‌گذاری فرهنگی اقتصادی نهادها روابط شبکه‌ها جهانی‌شدن "
            "حاکمیت توسعه پایدار شهروندان کنشگران فروملی مقام‌های محلی تعامل می‌کنند می‌توانند "
            "نمی‌شود پیوند جایگاه تاریخی امپراتوری جادهٔ ابریشم خواهرخواندگی مکمل رسمی نوین").split()
EN_WORDS = ("urban diplomacy public foreign policy national interest cities states organisations "
            "cooperation international synergy tourism investment cultural economic institutions "
            "relations networks globalisation sovereignty sustainable development citizens actors "
            "sub-national local authorities interaction link standing historical empire silk road "
            "twinning complement formal new forms of the and in with through").split()


def sentence(rng: random.Random, words: list[str], length: int) -> str:
    return " ".join(rng.choice(words) for _ in range(length)) + "."


def paragraph(rng: random.Random, lang: str, words: int) -> str:
    pool = FA_WORDS if lang == "fa" else EN_WORDS
    out, count = [], 0
    while count < words:
        length = rng.randint(8, 18)
        text = sentence(rng, pool, length)
        out.append(text[0].upper() + text[1:] if lang == "en" else text)
        count += length
    return " ".join(out)


def generate(root: Path, n: int, seed: int = 1) -> None:
    """Write kb.yml and concepts/ for n concepts under root."""
    rng = random.Random(seed)
    records = root / "concepts"
    (records / "works").mkdir(parents=True, exist_ok=True)
    (records / "articles").mkdir(parents=True, exist_ok=True)
    (root / "kb.yml").write_text(yaml.safe_dump({
        "name": {"fa": "دانشنامهٔ آزمون بار", "en": "Load-test KB"},
        "editors": {"fa": "ویراستاران آزمون", "en": "Benchmark editors"},
        "edition": "1.0", "edition_date": "2026-11-26", "site_url": ""}, allow_unicode=True), encoding="utf-8")
    sections = ["intro", "part-a", "part-b"]
    article = {
        "id": "bench-article",
        "title": {"fa": "مقالهٔ آزمون بار", "en": "A load-test article"},
        "published_title": {"en": "A Load-test Article", "sic": []},
        "type": {"fa": "مقالهٔ پژوهشی", "en": "Research article"},
        "authors": [{"name": {"fa": "نویسندهٔ آزمون", "en": "Test Author"},
                     "name_as_published": {"fa": "unknown", "en": "Test Author"},
                     "affiliation": {"fa": "دانشگاه آزمون", "en": "Test University"},
                     "affiliation_as_published_en": "unknown"}],
        **{k: "unknown" for k in ("journal", "year", "volume", "issue", "pages", "doi")},
        "abstract": {"fa": paragraph(rng, "fa", 60), "en": paragraph(rng, "en", 60)},
        "question": {"fa": "پرسش آزمون چیست؟", "en": "What is the test question?"},
        "thesis": {"fa": "پاسخ آزمون این است.", "en": "The test answer is this."},
        "method": {"fa": "توصیفی", "en": "Descriptive"},
        "keywords": {"published": {"fa": [], "en": ["test"]}, "translated": {"fa": ["آزمون"], "en": []},
                     "note": {"fa": "یادداشت آزمون.", "en": "A test note."}},
        "outline": [{"id": s, "title": {"fa": f"بخش {s}", "en": f"Section {s}"},
                     "summary": {"fa": paragraph(rng, "fa", 30), "en": paragraph(rng, "en", 30)}}
                    for s in sections],
        "text_status": [{"fa": "متن آزمون کامل است.", "en": "The test text is complete."}],
    }
    _write(records / "articles" / "bench-article.yaml", article)
    work_count = max(3, n // 5)
    works = [f"author{i}-{1380 + i % 40}" for i in range(work_count)]
    for i, work_id in enumerate(works):
        persian = i % 2 == 0
        _write(records / "works" / f"{work_id}.yaml", {
            "id": work_id,
            "authors": [{"fa": f"نویسنده {i}", "en": f"Author{i}"}],
            "script": "fa" if persian else "en",
            "year": str(1380 + i % 40) if persian else str(1990 + i % 30),
            "calendar": "solar-hijri" if persian else "gregorian",
            "title": "unknown", "container": "unknown", "publisher": "unknown",
            "cited_in": ["bench-article"], "as_cited": [f"(Author{i}, 2000: 1)"]})
    ids = [f"concept-{i:05d}" for i in range(n)]
    broader = {i: rng.randrange(0, i // 2 + 1) for i in range(10, n)}  # a forest: parents come first
    tied = {(i, p) for i, p in broader.items()} | {(p, i) for i, p in broader.items()}
    for i, cid in enumerate(ids):
        def statement(words: int) -> dict:
            return {"text": {"fa": paragraph(rng, "fa", words), "en": paragraph(rng, "en", words)},
                    "sources": [{"work": works[(i + rng.randint(0, 7)) % work_count],
                                 "page": str(rng.randint(1, 300))}]}
        record = {
            "id": cid,
            "title": {"fa": f"مفهوم {i} {rng.choice(FA_WORDS)}", "en": f"Concept {i} {rng.choice(EN_WORDS)}"},
            "aliases": {"fa": [f"نام دیگر {i}"], "en": [f"Other name {i}"]},
            "summary": {"fa": paragraph(rng, "fa", 30), "en": paragraph(rng, "en", 30)},
            "in_article": [{"article": "bench-article", "sections": [sections[i % 3]]}],
            "definitions": [statement(30) for _ in range(3)],
            "sections": [{"id": f"aspect-{k}", "title": {"fa": f"جنبهٔ {k}", "en": f"Aspect {k}"},
                          "paragraphs": [statement(45) for _ in range(2)]} for k in range(2)],
        }
        relations = {}
        if i in broader:
            relations["broader"] = [ids[broader[i]]]
        other = rng.randrange(0, n)
        if i % 3 == 0 and other != i and (i, other) not in tied:
            relations["related"] = [ids[other]]
        if relations:
            record["relations"] = relations
        _write(records / f"{cid}.yaml", record)


def _write(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")

"""Editions: a citation names a fixed copy whose text no later change touches.

The story a maintainer lives through: records change, the build refuses to let the published
edition's name cover the new text, kb.yml names a new edition, `make edition` freezes it, and
`make site` serves every edition at its own address, with the current pages saying what changed.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kb.editions import Edition, History, load_history, tree_digest, version_key
from kb.editions.changes import concept_changes, statement_changes
from kb.pipeline import Paths, export_knowledge_base, run
from tests.support.project import REPO, make_project, publish_site, repo_build, repo_settings, run_make
from tests.support.site_check import check_links, cite_data, parse_page, resolve

EDITED_FROM = "It cites no source for this."
EDITED_TO = "It cites no source for this claim, in the edited text."
"""A one-sentence reword of soft-power's first definition (English), made in a throwaway copy."""
TEMPLATE_MARK = "A line the concept template gained after the earlier editions."


def statement(en: str, fa: str = "متن", sources=None) -> dict:
    return {"text": {"fa": fa, "en": en}, "sources": sources or [{"article": "a", "section": "s"}]}


# --- what counts as a change ----------------------------------------------------------------------


def test_a_section_change_counts_added_removed_reworded_and_new_sources():
    old = [statement("Cities act abroad through their mayors and councils."),
           statement("Twinning ties two cities for good."),
           statement("Networks of cities are old.")]
    new = [statement("Cities act abroad through their mayors, councils and agencies."),  # reworded
           statement("Twinning ties two cities for good.", sources=[{"article": "a", "section": "t"}]),
           statement("A wholly different claim about trade fairs and exhibitions.")]  # one out, one in
    change = statement_changes("definitions", old, new)
    assert (change.reworded, change.sources, change.added, change.removed) == (1, 1, 1, 1)
    assert not statement_changes("definitions", old, list(reversed(old))).any  # order alone is no change


def test_a_concept_that_reads_the_same_is_not_a_change_and_its_edition_is_cited():
    current = export_knowledge_base(repo_build().kb, repo_settings())
    entry = next(c for c in current["concepts"] if c["id"] == "soft-power")
    assert concept_changes("soft-power", entry, json.loads(json.dumps(entry))) is None
    published = Edition("9.0", dt.date(2026, 1, 1), current)
    assert History((published,), current).cited_edition("soft-power") is published
    edited = json.loads(json.dumps(current))
    edited_entry = next(c for c in edited["concepts"] if c["id"] == "soft-power")
    edited_entry["definitions"][0]["text"]["en"] += " More."
    # the published copy no longer has the current text: nothing may cite it for that text
    assert History((published,), edited).cited_edition("soft-power") is None
    change = History((published,), edited).changes_since("soft-power", published)
    assert [(s.section, s.reworded) for s in change.sections] == [("definitions", 1)]


# --- the repository's own editions ----------------------------------------------------------------


def test_the_published_editions_are_untouched_since_they_were_made():
    history = load_history(REPO)
    assert history.editions, "editions/ holds no published edition"
    for edition in history.editions:
        folder = REPO / "editions" / edition.edition
        info = json.loads((folder / "edition.json").read_text(encoding="utf-8"))
        assert info["edition"] == edition.edition == edition.content["edition"], folder
        assert tree_digest(folder / "site") == info["site_digest"], \
            f"{folder}/site changed after it was published; an edition is never edited (publish a new one)"
        for page in (folder / "site").rglob("*.html"):  # no page of an edition belongs to another
            assert "/editions/" not in page.relative_to(folder).as_posix()


def test_the_records_are_the_text_of_the_edition_kb_yml_names_or_a_new_one():
    """kb.yml names the edition every page cites: published, it must be the records' text."""
    settings, history = repo_settings(), load_history(REPO)
    published = history.get(settings.edition)
    if published is None:  # an edition in the making: after every published one
        assert history.latest is None or version_key(settings.edition) > version_key(history.latest.edition)
        return
    current = export_knowledge_base(repo_build().kb, settings)
    assert {k: current[k] for k in ("articles", "concepts", "works")} == \
        {k: published.content[k] for k in ("articles", "concepts", "works")}
    assert published.date == settings.edition_date


# --- a new edition, from edit to publication (one throwaway project) ------------------------------


def _bump(project: Path, edition: str, date: str) -> None:
    kb_yml = project / "kb.yml"
    text = kb_yml.read_text(encoding="utf-8")
    text = re.sub(r'(?m)^edition: "[^"]*"', f'edition: "{edition}"', text)
    text = re.sub(r'(?m)^edition_date: "[^"]*"', f'edition_date: "{date}"', text)
    kb_yml.write_text(text, encoding="utf-8")


def _digests(project: Path) -> dict[str, str]:
    return {p.parent.name: tree_digest(p.parent / "site") for p in (project / "editions").glob("*/edition.json")}


@pytest.fixture(scope="module")
def new_edition(tmp_path_factory):
    """The repository copied; soft-power reworded; then each step's outcome, in order."""
    project = make_project(tmp_path_factory.mktemp("editions") / "project")
    steps = {"digests_before": _digests(project)}
    latest = load_history(project).latest
    major, minor = latest.edition.split(".")
    following = f"{major}.{int(minor) + 1}"
    record = project / "concepts" / "soft-power.yaml"
    text = record.read_text(encoding="utf-8")
    assert EDITED_FROM in text
    record.write_text(text.replace(EDITED_FROM, EDITED_TO, 1), encoding="utf-8")
    template = project / "kb" / "render" / "templates" / "concept.md.j2"  # and the code that renders
    template.write_text(template.read_text(encoding="utf-8").replace(
        "## {{ md.label('editions') }} {#editions}\n", f"{TEMPLATE_MARK}\n\n## {{{{ md.label('editions') }}}} {{#editions}}\n", 1),
        encoding="utf-8")
    steps["unbumped"] = run(Paths.for_root(project), write=False)
    steps["unbumped_serve"] = run(Paths.for_root(project), write=False, preview=True)
    _bump(project, following, (latest.date + dt.timedelta(days=1)).isoformat())
    steps["draft"] = run(Paths.for_root(project))  # built, not published yet
    steps["draft_page"] = (project / "docs" / "en" / "concepts" / "soft-power.md").read_text(encoding="utf-8")
    steps["publish"] = run_make(project, "edition")
    steps["publish_again"] = run_make(project, "edition")
    steps["digests_after"] = _digests(project)
    steps["site"] = publish_site(project)
    return project, following, latest.edition, steps


def test_records_that_differ_from_the_published_edition_need_a_new_one(new_edition):
    project, _, published, steps = new_edition
    result = steps["unbumped"]
    assert not result.ok
    [problem] = result.problems.sorted()
    line = next(i for i, text in enumerate((REPO / "kb.yml").read_text().splitlines(), 1)
                if text.startswith("edition:"))
    assert (problem.path, problem.line, problem.key) == ("kb.yml", line, "edition")
    assert f"edition {published} is published" in problem.message and "soft-power" in problem.message
    # while serving, the edit shows at once, with the same words as a warning
    assert steps["unbumped_serve"].ok and steps["unbumped_serve"].warnings == [str(problem)]


def test_an_unpublished_edition_cites_the_current_page_and_says_so(new_edition):
    _, following, published, steps = new_edition
    assert steps["draft"].ok
    page = steps["draft_page"]
    assert EDITED_TO in page
    assert f"This page has changed since edition {published}, and the change is not yet published" in \
        page.split("## Editions")[1].split("## How to cite")[0]
    cite = cite_data(page)
    assert cite["address"] == "./"  # the page itself: no edition holds this text yet


def test_make_edition_freezes_the_site_and_leaves_earlier_editions_alone(new_edition):
    project, following, published, steps = new_edition
    assert steps["publish"].returncode == 0, steps["publish"].stderr
    assert f"Published edition {following}" in steps["publish"].stdout
    before, after = steps["digests_before"], steps["digests_after"]
    assert set(after) == set(before) | {following}
    assert {e: after[e] for e in before} == before  # not one byte of an earlier edition changed
    info = json.loads((project / "editions" / following / "edition.json").read_text(encoding="utf-8"))
    assert info["site_digest"] == after[following]
    frozen = project / "editions" / following / "site"
    assert (frozen / "en" / "concepts" / "soft-power" / "index.html").is_file()
    left_out = ["sitemap.xml", "downloads/diplomacy-kb-offline.zip", "search", "assets/javascripts/lunr"]
    assert not [p for p in left_out if (frozen / p).exists() or (frozen / "en" / p).exists()]
    # the same edition cannot be published twice, and trying changes nothing
    again = steps["publish_again"]
    assert again.returncode != 0
    assert f"kb.yml: edition: edition {following} is published already" in again.stderr


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_each_edition_keeps_its_text_at_its_address_and_the_current_page_says_what_changed(new_edition):
    project, following, published, steps = new_edition
    site = steps["site"]
    old = _text(site / "editions" / published / "en" / "concepts" / "soft-power" / "index.html")
    new = _text(site / "editions" / following / "en" / "concepts" / "soft-power" / "index.html")
    current = _text(site / "en" / "concepts" / "soft-power" / "index.html")
    assert EDITED_FROM in old and EDITED_TO not in old and TEMPLATE_MARK not in old
    assert EDITED_TO in new and EDITED_TO in current and TEMPLATE_MARK in new and TEMPLATE_MARK in current
    # the site serves each earlier edition byte for byte as it was published
    for edition, digest in steps["digests_before"].items():
        assert tree_digest(site / "editions" / edition) == digest, edition
    editions = current.split('id="editions"')[1].split('id="cite"')[0]
    for edition in (published, following):
        assert f'editions/{edition}/en/concepts/soft-power/"' in editions
    assert re.search(rf"Changes since edition {re.escape(published)}:.*?Definitions: 1 statement reworded",
                     editions, re.S), editions
    # a citation of the current page names the new edition's fixed copy
    cite = cite_data(current)
    target, _ = resolve(site, "en/concepts/soft-power/index.html", cite["address"])
    assert target == f"editions/{following}/en/concepts/soft-power/index.html"
    changes = _text(site / "en" / "changes" / following / "index.html")
    assert "Soft power" in changes.split('id="concepts-revised"')[1]
    assert check_links(site) == []


def test_the_feed_announces_every_edition_newest_first(new_edition):
    _, following, published, steps = new_edition
    atom = "{http://www.w3.org/2005/Atom}"
    for lang_root in ("", "en/"):
        feed = ET.parse(steps["site"] / lang_root / "feed.xml").getroot()
        entries = feed.findall(f"{atom}entry")
        ids = [entry.find(f"{atom}id").text for entry in entries]
        assert len(set(ids)) == len(ids) and ids[0].endswith(f":edition:{following}")
        assert ids[1].endswith(f":edition:{published}")
        for entry in entries:  # each entry leads to its changes page
            href = entry.find(f"{atom}link").get("href")
            target, _ = resolve(steps["site"], f"{lang_root}feed.xml", href)
            assert (steps["site"] / target).is_file(), href
        updated = [entry.find(f"{atom}updated").text for entry in entries]
        assert updated == sorted(updated, reverse=True)


# --- the served site: an old edition stays in itself ---------------------------------------------


def test_an_edition_copy_stays_in_its_edition_and_points_to_the_current_text(repo_site):
    history = load_history(REPO)
    first = history.editions[0].edition
    for lang_root, other_root in (("", "en/"), ("en/", "")):
        path = f"editions/{first}/{lang_root}concepts/urban-diplomacy/index.html"
        info = parse_page(repo_site / path)
        target, _ = resolve(repo_site, path, info.alternates["en" if lang_root == "" else "fa"])
        assert target == f"editions/{first}/{other_root}concepts/urban-diplomacy/index.html"
        html = _text(repo_site / path)
        banner = html.split("data-kb-archive")[1].split("</p>")[0]
        hrefs = re.findall(r'href="([^"]+)"', banner)
        assert resolve(repo_site, path, hrefs[0])[0] == f"{lang_root}concepts/urban-diplomacy/index.html"
        cite = cite_data(html)
        assert resolve(repo_site, path, cite["address"])[0] == path  # it cites itself
        assert "data-kb-search" not in html  # an old copy has no search (its index would be stale)


def test_the_search_index_never_leads_into_an_edition_copy(repo_site):
    for lang_root in ("", "en/"):
        folder = repo_site / lang_root / "search" / "pagefind" / "fragment"
        fragments = list(folder.glob("*.pf_fragment"))
        assert fragments
        for fragment in fragments:
            data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
            assert not data["url"].lstrip("/").startswith("editions/"), data["url"]


def test_the_offline_copy_holds_one_edition_and_says_which(repo_site):
    offline = repo_site.parent / "build" / "offline" / "diplomacy-kb"
    assert not (offline / "editions").exists() and not (offline / "en" / "editions").exists()
    page = _text(offline / "en" / "concepts" / "urban-diplomacy.html")
    edition = repo_settings().edition
    assert f"Edition {edition}" in page
    assert "editions/" not in "".join(re.findall(r'href="([^"]+)"', page.split('id="editions"')[1]))

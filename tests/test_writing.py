"""Write stage: only changed files are rewritten, stale pages go, hand-written pages stay,
and an interrupted write never leaves docs/ half-updated."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import build_kb
from kb import pipeline
from kb.write import journal as writing
from kb.write import last_build
from kb.pipeline import Paths, run


def build(paths) -> None:
    assert build_kb.main(["--root", str(paths.root), "--quiet"]) == 0


def clean_build(kb, folder) -> dict[str, bytes]:
    """What a build of the same records and settings writes in a new project folder."""
    fresh = Paths.for_root(folder)
    shutil.copytree(kb.records, fresh.records)
    shutil.copy2(kb.settings, fresh.settings)
    build(fresh)
    return contents(fresh.docs)


def stamps(docs) -> dict[str, int]:
    return {p.relative_to(docs).as_posix(): p.stat().st_mtime_ns for p in docs.rglob("*.md")}


def staged(docs) -> list:
    """What a build has staged and not yet committed (and temporary files of earlier versions)."""
    return [p for p in (docs / writing.STAGING).rglob("*") if p.is_file()] + list(docs.rglob(f"*{writing.TEMP_SUFFIX}"))


def contents(docs) -> dict[str, bytes]:
    return {p.relative_to(docs).as_posix(): p.read_bytes() for p in sorted(docs.rglob("*")) if p.is_file()}


def test_a_second_run_rewrites_nothing(small_kb):
    build(small_kb)
    before = stamps(small_kb.docs)
    result = run(small_kb)
    assert result.plan.write == [] and result.plan.delete == []
    assert stamps(small_kb.docs) == before


def test_changing_one_record_rewrites_only_the_pages_that_show_it(small_kb, write_record):
    build(small_kb)
    before = stamps(small_kb.docs)
    text = (small_kb.records / "urban-landscape.yaml").read_text(encoding="utf-8")
    write_record("urban-landscape.yaml", text.replace("آنچه شهر را شکل می‌دهد.", "چهرهٔ شهر."))
    build(small_kb)
    changed = {path for path, stamp in stamps(small_kb.docs).items() if before[path] != stamp}
    # Exactly the pages that show the new summary were rewritten: the concept's own page, the
    # glossary, and pages linking to it (a link previews the summary). Nothing else, no English page.
    showing = {p.relative_to(small_kb.docs).as_posix() for p in small_kb.docs.rglob("*.md")
               if "چهرهٔ شهر." in p.read_text(encoding="utf-8")}
    assert changed == showing
    assert {"fa/concepts/urban-landscape.md", "fa/glossary.md", "fa/concepts/local-governance.md"} <= changed
    assert not [p for p in changed if p.startswith("en/")]


def test_pages_of_a_deleted_record_are_removed(small_kb):
    build(small_kb)
    (small_kb.records / "urban-landscape.yaml").unlink()
    text = (small_kb.records / "works" / "karimi-1398.yaml").read_text(encoding="utf-8")
    assert "karimi" in text  # still cited by city-diplomacy
    build(small_kb)
    assert not (small_kb.docs / "fa" / "concepts" / "urban-landscape.md").exists()
    assert not (small_kb.docs / "en" / "concepts" / "urban-landscape.md").exists()
    assert "urban-landscape" not in (small_kb.docs / "fa" / "glossary.md").read_text(encoding="utf-8")


def test_hand_written_pages_are_never_touched(small_kb):
    page = small_kb.docs / "fa" / "notes.md"
    page.parent.mkdir(parents=True)
    page.write_text("# یادداشت دستی\n", encoding="utf-8")
    os.utime(page, ns=(1, 1))
    build(small_kb)
    (small_kb.records / "urban-landscape.yaml").unlink()
    build(small_kb)
    assert page.read_text(encoding="utf-8") == "# یادداشت دستی\n"
    assert page.stat().st_mtime_ns == 1


def test_a_generated_page_may_not_replace_a_hand_written_one(small_kb, capsys):
    page = small_kb.docs / "en" / "glossary.md"
    page.parent.mkdir(parents=True)
    page.write_text("# My glossary\n", encoding="utf-8")
    assert build_kb.main(["--root", str(small_kb.root)]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[0] == (
        "docs/en/glossary.md: a hand-written file is in the way of a page generated from build_kb.py; "
        "move or rename it (build_kb never overwrites files it did not generate)")
    assert err.splitlines()[-1] == "1 error in 1 file in docs/; nothing written."
    assert page.read_text(encoding="utf-8") == "# My glossary\n"
    assert not (small_kb.docs / "fa").exists() or not any((small_kb.docs / "fa").rglob("*.md"))


def test_check_writes_nothing(small_kb, capsys):
    assert build_kb.main(["--root", str(small_kb.root), "--check"]) == 0
    assert capsys.readouterr().out == "Checked 8 records: no problems.\n"
    assert list(small_kb.docs.iterdir()) == []


def test_clean_removes_generated_pages_only(small_kb):
    build(small_kb)
    own = small_kb.docs / "en" / "about.md"
    own.write_text("# About\n", encoding="utf-8")
    assert build_kb.main(["--root", str(small_kb.root), "--clean"]) == 0
    assert contents(small_kb.docs) == {"en/about.md": b"# About\n"}


def test_a_failure_before_the_commit_point_leaves_docs_as_it_was(small_kb, write_record, monkeypatch):
    build(small_kb)
    before = contents(small_kb.docs)
    text = (small_kb.records / "twin-towns.yaml").read_text(encoding="utf-8")
    write_record("twin-towns.yaml", text.replace("پیوند دو شهر.", "پیمان دو شهر."))

    real_write = writing._write_file
    calls = []

    def failing_write(path, data):
        calls.append(path)
        if len(calls) == 3:
            raise OSError("disk full")
        real_write(path, data)

    monkeypatch.setattr(writing, "_write_file", failing_write)
    with pytest.raises(OSError, match="disk full"):
        run(small_kb)
    assert contents(small_kb.docs) == before  # no temporary files left either


def test_each_page_is_written_out_as_it_is_rendered(small_kb, monkeypatch):
    """A build holds one page in memory at a time: by the time a page is rendered, every page
    rendered before it is already staged (what keeps memory flat at scale). Staged pages are not
    in docs/fa or docs/en, which MkDocs watches while serving: it sees only the commit."""
    from kb.render import pages as rendering

    staged_when_rendered, seen_by_mkdocs = [], []
    real = rendering.render_concept_page

    def render(kb, concept, lang, *args):
        staged_when_rendered.append(len(staged(small_kb.docs)))
        seen_by_mkdocs.extend(p for lang in ("fa", "en") for p in (small_kb.docs / lang).rglob("*"))
        return real(kb, concept, lang, *args)

    monkeypatch.setattr(rendering, "render_concept_page", render)
    build(small_kb)
    concept_pages = len(list(small_kb.docs.glob("*/concepts/*.md"))) - 2  # less the two indexes
    assert len(staged_when_rendered) == concept_pages > 2
    assert all(later > earlier for earlier, later in zip(staged_when_rendered, staged_when_rendered[1:]))
    assert seen_by_mkdocs == []
    assert not staged(small_kb.docs) and not (small_kb.docs / writing.STAGING).exists()


def test_a_failure_while_rendering_leaves_docs_as_it_was(small_kb, write_record, monkeypatch):
    """Pages already staged are removed again, with the folders made for them."""
    from kb.render import pages as rendering

    build(small_kb)
    before = contents(small_kb.docs)
    text = (small_kb.records / "twin-towns.yaml").read_text(encoding="utf-8")
    write_record("twin-towns.yaml", text.replace("پیوند دو شهر.", "پیمان دو شهر."))
    write_record("urban-scene.yaml", (small_kb.records / "urban-landscape.yaml").read_text(encoding="utf-8")
                 .replace("id: urban-landscape", "id: urban-scene"))
    shutil.rmtree(small_kb.docs / "fa" / "concepts")  # so that staging must make the folder again
    before = {path: data for path, data in before.items() if not path.startswith("fa/concepts/")}
    rendered = []
    real = rendering.render_concept_page

    def fails_late(kb, concept, lang, *args):
        rendered.append(concept.id)
        if lang == "fa" and len(rendered) > 6:
            raise RuntimeError("a bug in a template")
        return real(kb, concept, lang, *args)

    monkeypatch.setattr(rendering, "render_concept_page", fails_late)
    with pytest.raises(RuntimeError, match="a bug in a template"):
        run(small_kb)
    assert contents(small_kb.docs) == before  # no temporary files left either
    assert not (small_kb.docs / "fa" / "concepts").exists()


def test_an_interrupt_between_rendering_and_the_commit_leaves_nothing_staged(small_kb, monkeypatch):
    build(small_kb)
    before = contents(small_kb.docs)
    _edit_record(small_kb)

    def interrupted(plan, docs, staging):
        assert plan.write and staging.paths == plan.write and staged(docs)
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "write_pages", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run(small_kb)
    assert contents(small_kb.docs) == before


def test_a_plan_is_written_only_with_its_staged_contents(small_kb):
    build(small_kb)
    before = contents(small_kb.docs)
    plan = writing.WritePlan(write=["en/glossary.md"], manifest={"en/glossary.md": "0"})
    with writing.Staging(small_kb.docs) as staging, pytest.raises(RuntimeError, match="staged contents"):
        writing.write_pages(plan, small_kb.docs, staging)
    assert contents(small_kb.docs) == before


def test_a_page_in_the_way_is_reported_before_anything_is_rendered(small_kb, monkeypatch, capsys):
    from kb.render import pages as rendering

    (small_kb.docs / "en").mkdir()
    (small_kb.docs / "en" / "glossary.md").write_text("# My glossary\n", encoding="utf-8")
    monkeypatch.setattr(rendering, "render_concept_page", lambda *args: pytest.fail("rendered a page"))
    assert build_kb.main(["--root", str(small_kb.root), "--quiet"]) == 1
    assert "a hand-written file is in the way" in capsys.readouterr().err


KILLED_WHILE_WRITING = """
import os, shutil, sys
from pathlib import Path
from kb.write import journal as writing
from kb.pipeline import Paths, run

calls = []

def killed_on_the_third(real):
    def call(*args):
        result = real(*args)
        calls.append(args)
        if len(calls) == 3:
            os._exit(9)  # killed: no exception handler runs
        return result
    return call

if sys.argv[1] == "staging":
    writing.Staging.put = killed_on_the_third(writing.Staging.put)
else:  # moving staged files beside their targets, before the commit
    writing.shutil.move = killed_on_the_third(shutil.move)
run(Paths.for_root(Path(".")))
"""


@pytest.mark.parametrize("stage", ["staging", "moving"])
def test_a_build_killed_while_writing_pages_leaves_nothing_the_next_build_trusts(small_kb, monkeypatch, stage):
    """Killed before the commit (not an exception: nothing cleans up), with the edit then undone:
    no page has changed, recovery removes what was staged, and the next build does not stop early."""
    import subprocess
    import sys

    from tests.support.project import REPO

    build(small_kb)
    before = contents(small_kb.docs)
    record = small_kb.records / "twin-towns.yaml"
    original = record.read_bytes()
    _edit_record(small_kb)
    killed = subprocess.run([sys.executable, "-c", KILLED_WHILE_WRITING, stage], cwd=small_kb.root,
                            env={**os.environ, "PYTHONPATH": str(REPO)})
    assert killed.returncode == 9
    left = staged(small_kb.docs)
    assert len(left) >= 3 and (stage == "staging") == (len(list(small_kb.docs.rglob("*.kbtmp"))) == 0)
    assert {path: data for path, data in contents(small_kb.docs).items()
            if not path.startswith(writing.STAGING) and not path.endswith(writing.TEMP_SUFFIX)} == before
    assert writing.recover_interrupted_write(small_kb.docs) and contents(small_kb.docs) == before
    record.write_bytes(original)
    loads = _count_loads(monkeypatch)
    build(small_kb)
    assert loads == [1] and contents(small_kb.docs) == before


def _interrupt_a_build_half_way_through_its_commit(kb, monkeypatch) -> None:
    """Run a build that dies after the commit point, with some renames done and some not."""
    real_replace = os.replace
    renames = []

    def crash_midway(source, target):
        renames.append(target)
        if str(source).endswith(writing.TEMP_SUFFIX) and len(renames) == 3:
            raise KeyboardInterrupt  # the process dies half way through the renames
        real_replace(source, target)

    monkeypatch.setattr(writing.os, "replace", crash_midway)
    with pytest.raises(KeyboardInterrupt):
        run(kb)
    monkeypatch.setattr(writing.os, "replace", real_replace)
    assert (kb.docs / writing.JOURNAL).exists()


def test_an_interrupt_just_after_the_commit_leaves_the_commit_to_the_next_run(small_kb, monkeypatch, tmp_path):
    """Ctrl-C between the journal's rename and anything after it: the staged files are the
    journal's now, and must not be removed."""
    build(small_kb)
    _edit_record(small_kb)
    real_replace = os.replace

    def interrupted_after_commit(source, target):
        real_replace(source, target)
        if Path(target).name == writing.JOURNAL:
            raise KeyboardInterrupt

    monkeypatch.setattr(writing.os, "replace", interrupted_after_commit)
    with pytest.raises(KeyboardInterrupt):
        run(small_kb)
    monkeypatch.setattr(writing.os, "replace", real_replace)
    assert writing.recover_interrupted_write(small_kb.docs)
    assert contents(small_kb.docs) == clean_build(small_kb, tmp_path / "fresh")


def test_a_committed_write_is_completed_even_by_a_build_that_then_fails(small_kb, monkeypatch, tmp_path):
    build(small_kb)
    _edit_record(small_kb)
    expected = clean_build(small_kb, tmp_path / "fresh")
    _interrupt_a_build_half_way_through_its_commit(small_kb, monkeypatch)
    (small_kb.records / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    assert not run(small_kb).ok
    assert contents(small_kb.docs) == expected  # not half the new pages and half the old


def test_a_page_that_cannot_be_put_in_place_fails_before_the_commit(small_kb):
    """A file where a page's folder belongs: found while moving staged files, before the commit."""
    build(small_kb)
    _add_record(small_kb)
    shutil.rmtree(small_kb.docs / "en" / "concepts")  # so that its folder is made (en comes first)
    shutil.rmtree(small_kb.docs / "fa" / "concepts")
    (small_kb.docs / "fa" / "concepts").write_text("not a folder\n", encoding="utf-8")
    before = contents(small_kb.docs)
    with pytest.raises(OSError):
        run(small_kb)
    assert contents(small_kb.docs) == before
    assert not (small_kb.docs / "en" / "concepts").exists()  # the folder it made is gone again


def test_pages_on_another_file_system_are_written(small_kb, tmp_path):
    """docs/fa may be a link to a folder on another file system: staged files are copied there."""
    elsewhere = Path("/dev/shm")
    if not elsewhere.is_dir() or elsewhere.stat().st_dev == small_kb.docs.stat().st_dev:
        pytest.skip("no second file system to link to")
    import tempfile

    with tempfile.TemporaryDirectory(dir=elsewhere) as folder:
        (small_kb.docs / "fa").symlink_to(folder)
        build(small_kb)
        assert contents(small_kb.docs / "fa") == {
            path[3:]: data for path, data in clean_build(small_kb, tmp_path / "fresh").items() if path.startswith("fa/")}


def test_clean_removes_a_manifest_left_empty_by_a_killed_clean(small_kb):
    build(small_kb)
    assert build_kb.main(["--root", str(small_kb.root), "--clean"]) == 0
    (small_kb.docs / writing.MANIFEST).write_text('{"files": {}}', encoding="utf-8")
    assert build_kb.main(["--root", str(small_kb.root), "--clean"]) == 0
    assert not (small_kb.docs / writing.MANIFEST).exists()


def test_a_run_interrupted_after_the_commit_point_is_completed_by_the_next(small_kb, write_record,
                                                                            monkeypatch, tmp_path):
    build(small_kb)
    text = (small_kb.records / "twin-towns.yaml").read_text(encoding="utf-8")
    write_record("twin-towns.yaml", text.replace("پیوند دو شهر.", "پیمان دو شهر."))
    _interrupt_a_build_half_way_through_its_commit(small_kb, monkeypatch)
    assert writing.recover_interrupted_write(small_kb.docs)  # what the next run does first
    recovered = contents(small_kb.docs)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    build_kb.main(["--root", str(small_kb.root), "--docs", str(fresh), "--quiet"])
    assert recovered == contents(fresh)


# --- a build with nothing to do ----------------------------------------------------------


def _count_loads(monkeypatch) -> list:
    """Count the runs that load records (a build that stops early loads none)."""
    calls = []
    real = pipeline.load_records

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "load_records", counted)
    return calls


def _count_parses(monkeypatch) -> list:
    """The record files YAML-parsed (a record whose bytes are in the cache is not)."""
    import yaml

    parsed = []
    real = yaml.compose

    def counted(text, *args, **kwargs):
        parsed.append(text.split("\n", 1)[0])
        return real(text, *args, **kwargs)

    monkeypatch.setattr(yaml, "compose", counted)
    return parsed


def _first_line(path) -> str:
    return path.read_text(encoding="utf-8").split("\n", 1)[0]






def test_a_build_with_nothing_to_do_parses_nothing(small_kb, monkeypatch):
    build(small_kb)
    before = contents(small_kb.docs)
    loads = _count_loads(monkeypatch)
    result = run(small_kb)
    assert loads == [] and result.ok and result.kb is None
    assert not result.plan.changed and result.plan.unchanged == len(writing.read_manifest(small_kb.docs))
    assert contents(small_kb.docs) == before
    assert run(small_kb, write=False).kb is not None  # --check always checks every record


def _edit_record(kb):
    path = kb.records / "twin-towns.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("پیوند دو شهر.", "پیمان دو شهر."), encoding="utf-8")


def _add_record(kb):
    text = (kb.records / "urban-landscape.yaml").read_text(encoding="utf-8")
    (kb.records / "urban-scene.yaml").write_text(text.replace("id: urban-landscape", "id: urban-scene"),
                                                 encoding="utf-8")


def _edit_settings(kb):
    kb.settings.write_text(kb.settings.read_text(encoding="utf-8").replace('edition: "0.1"', 'edition: "0.2"'),
                           encoding="utf-8")


def _edit_page(kb):
    page = kb.docs / "fa" / "concepts" / "twin-towns.md"
    page.write_text(page.read_text(encoding="utf-8") + "edited by hand\n", encoding="utf-8")


CHANGES = {
    "a record edited": _edit_record,
    "a record added": _add_record,
    "a record deleted": lambda kb: (kb.records / "urban-landscape.yaml").unlink(),
    "kb.yml edited": _edit_settings,
    "a generated page edited by hand": _edit_page,
    "a generated page deleted": lambda kb: (kb.docs / "en" / "glossary.md").unlink(),
    "an interrupted write's journal (completed first)": lambda kb: (kb.docs / writing.JOURNAL).write_text(
        '{"rename": [], "delete": ["en/glossary.md"]}', encoding="utf-8"),
}


@pytest.mark.parametrize("change", CHANGES)
def test_any_change_to_what_a_build_reads_or_wrote_means_a_full_build(small_kb, change, tmp_path,
                                                                      monkeypatch):
    build(small_kb)
    CHANGES[change](small_kb)
    loads = _count_loads(monkeypatch)
    build(small_kb)
    build(small_kb)
    assert loads == [1]  # and the build after that has nothing to do again
    assert contents(small_kb.docs) == clean_build(small_kb, tmp_path / "fresh")


def _same_size_edit(kb):
    page = kb.docs / "en" / "concepts" / "twin-towns.md"
    text = page.read_text(encoding="utf-8")
    assert "Twin" in text
    page.write_text(text.replace("Twin", "Tw1n", 1), encoding="utf-8")


def _touch(kb):
    page = kb.docs / "en" / "concepts" / "twin-towns.md"
    info = page.stat()
    os.utime(page, ns=(info.st_atime_ns, info.st_mtime_ns - 10**9))


CHANGES_TO_PAGES = {
    "a page edited by hand, same size": _same_size_edit,
    "a page's time changed, not its bytes": _touch,
}


@pytest.mark.parametrize("change", CHANGES_TO_PAGES)
def test_a_page_is_checked_again_when_its_size_or_time_changed(small_kb, change, monkeypatch):
    build(small_kb)
    before = contents(small_kb.docs)
    CHANGES_TO_PAGES[change](small_kb)
    loads = _count_loads(monkeypatch)
    build(small_kb)
    assert loads == [1] and contents(small_kb.docs) == before


def test_a_build_that_overwrote_a_newer_one_is_not_taken_for_current(small_kb, write_record, monkeypatch):
    """Two builds at once (make serve's watcher and a build in another terminal): the older one
    may write its pages last. The next build must see that docs/ does not match the records."""
    build(small_kb)
    older = contents(small_kb.docs)
    _edit_record(small_kb)
    build(small_kb)
    newer = contents(small_kb.docs)
    for relative, data in older.items():  # the older build commits after the newer one...
        (small_kb.docs / relative).write_bytes(data)
    last_build.LastBuild(small_kb.cache, small_kb.docs).remember(small_kb.docs, writing.read_manifest(small_kb.docs))
    loads = _count_loads(monkeypatch)  # ...which then records what it found in docs/
    build(small_kb)
    assert loads == [1] and contents(small_kb.docs) == newer


def test_a_build_interrupted_before_its_commit_is_not_taken_for_current(small_kb, monkeypatch):
    """Edit, a build that dies while writing, the edit undone: the next build must clean up."""
    build(small_kb)
    before = contents(small_kb.docs)
    record = small_kb.records / "twin-towns.yaml"
    original = record.read_bytes()
    _edit_record(small_kb)
    real_write = writing._write_file

    def dies(path, data):
        if path.name.startswith("twin-towns"):
            raise KeyboardInterrupt
        real_write(path, data)

    monkeypatch.setattr(writing, "_write_file", dies)
    with pytest.raises(KeyboardInterrupt):
        run(small_kb)
    monkeypatch.setattr(writing, "_write_file", real_write)
    record.write_bytes(original)
    loads = _count_loads(monkeypatch)
    build(small_kb)
    assert loads == [1] and contents(small_kb.docs) == before
    assert not staged(small_kb.docs) and not (small_kb.docs / writing.STAGING).exists()


def test_a_record_saved_while_a_build_reads_it_is_built_again_next_time(small_kb, tmp_path, monkeypatch):
    """The digest taken at the start of a build must still hold at its end to be trusted."""
    build(small_kb)
    record = small_kb.records / "twin-towns.yaml"
    _edit_record(small_kb)  # version 1
    version_1 = record.read_bytes()
    real = pipeline.input_digest

    def save_after_the_digest(*args, **kwargs):
        digest = real(*args, **kwargs)
        if not kwargs.get("fresh"):  # version 2, saved before the build reads the record
            record.write_text(version_1.decode().replace("پیمان دو شهر.", "پیوستن دو شهر."), encoding="utf-8")
        return digest

    monkeypatch.setattr(pipeline, "input_digest", save_after_the_digest)
    build(small_kb)  # its pages show version 2; its digest describes version 1
    monkeypatch.setattr(pipeline, "input_digest", real)
    record.write_bytes(version_1)  # the second edit undone
    loads = _count_loads(monkeypatch)
    build(small_kb)
    assert loads == [1]
    assert contents(small_kb.docs) == clean_build(small_kb, tmp_path / "fresh")


def test_builds_of_one_project_run_one_at_a_time(small_kb):
    """make serve's watcher and a build in a terminal are two processes: the second one waits."""
    import subprocess
    import sys
    import time

    from tests.support.project import REPO

    command = [sys.executable, str(REPO / "build_kb.py"), "--root", str(small_kb.root), "--quiet"]
    start = time.perf_counter()
    subprocess.run(command, check=True)
    alone = time.perf_counter() - start  # how long a build takes on this machine
    _edit_record(small_kb)
    page = small_kb.docs / "fa" / "concepts" / "twin-towns.md"
    with last_build.one_build_at_a_time(small_kb.cache):
        other = subprocess.Popen(command)
        time.sleep(max(2.0, 4 * alone))  # long enough for it to finish, were it not waiting
        waited = other.poll() is None and "پیمان دو شهر." not in page.read_text(encoding="utf-8")
    assert other.wait(timeout=60) == 0 and waited
    assert "پیمان دو شهر." in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("refused", [("a+b",), ("a+b", "rb")], ids=["read-only lock", "no lock at all"])
def test_a_checkout_that_may_not_be_written_still_builds_when_nothing_changed(small_kb, refused, monkeypatch):
    build(small_kb)

    def guarded_open(path, mode="r", *args, **kwargs):
        if mode in refused:
            raise PermissionError(13, "Permission denied", str(path))
        return open(path, mode, *args, **kwargs)

    monkeypatch.setattr(last_build, "open", guarded_open, raising=False)
    assert build_kb.main(["--root", str(small_kb.root), "--quiet"]) == 0


def test_records_outside_the_project_folder(small_kb, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(small_kb.records, elsewhere)
    shutil.rmtree(small_kb.records)
    options = ["--root", str(small_kb.root), "--records", str(elsewhere), "--quiet"]
    assert build_kb.main([*options, "--check"]) == 0
    assert build_kb.main(options) == 0
    assert (small_kb.docs / "en" / "concepts" / "twin-towns.md").exists()
    loads = _count_loads(monkeypatch)
    assert build_kb.main(options) == 0 and loads == []


def test_without_its_manifest_docs_is_checked_again_not_trusted(small_kb, monkeypatch, capsys):
    """Without the manifest every page looks hand-written: the build must say so, not stop early."""
    build(small_kb)
    # (the search index's folder is build_kb's whole: nothing there can be hand-written)
    pages = len([p for p in writing.read_manifest(small_kb.docs) if not p.startswith(writing.OWNED)])
    (small_kb.docs / writing.MANIFEST).unlink()
    loads = _count_loads(monkeypatch)
    assert build_kb.main(["--root", str(small_kb.root), "--quiet"]) == 1
    assert loads == [1]
    err = capsys.readouterr().err
    assert "docs/fa/concepts/twin-towns.md: a hand-written file is in the way" in err
    assert err.endswith(f"{pages} errors in {pages} files in docs/; nothing written.\n")


def test_another_version_of_a_library_that_renders_means_a_full_build(small_kb, monkeypatch):
    """Upgrading PyYAML or Jinja2 may change the bytes of every page: nothing may be skipped."""
    build(small_kb)
    real = last_build._installed
    monkeypatch.setattr(last_build, "_installed", lambda name: "99.0" if name == "Jinja2" else real(name))
    last_build.running_code.cache_clear()
    try:
        loads = _count_loads(monkeypatch)
        run(small_kb)
        assert loads == [1]
    finally:
        monkeypatch.undo()
        last_build.running_code.cache_clear()


def test_new_code_means_a_full_build(small_kb, monkeypatch):
    """The digest covers the code, templates, labels and schemas (last_build.data_files)."""
    build(small_kb)
    monkeypatch.setattr(last_build, "data_files", lambda: "another version of kb/")
    loads = _count_loads(monkeypatch)
    build(small_kb)
    assert loads == [1]


def test_a_template_that_starts_showing_a_field_shows_it_on_every_page_at_the_next_build(tmp_path):
    """No list of what a page shows can go stale: an edited template, and nothing else, changes
    every page it renders at the next build, exactly as a build in a new folder would."""
    import subprocess
    import sys

    from tests.support.project import FIXTURES, make_project

    def project(name):
        return make_project(tmp_path / name, records=FIXTURES / "small" / "concepts",
                            settings=FIXTURES / "small" / "kb.yml")

    def build_in(folder):
        subprocess.run([sys.executable, "build_kb.py", "--quiet"], cwd=folder, check=True,
                       env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})

    def show_a_new_field(folder):
        template = folder / "kb" / "render" / "templates" / "concept.md.j2"
        template.write_text(template.read_text(encoding="utf-8")
                            + "\nDefinitions on this page: {{ md.number(concept.definitions | length) }}\n",
                            encoding="utf-8")

    edited, fresh = project("edited"), project("fresh")
    build_in(edited)
    show_a_new_field(edited)
    build_in(edited)
    concept_pages = [p for p in sorted(edited.glob("docs/*/concepts/*.md")) if p.name != "index.md"]
    assert len(concept_pages) == 8
    for page in concept_pages:
        assert "Definitions on this page: " in page.read_text(encoding="utf-8"), page
    show_a_new_field(fresh)
    build_in(fresh)
    assert contents(edited / "docs") == contents(fresh / "docs")


RUN_EDIT_RUN = """
import json, sys
from pathlib import Path
from kb.pipeline import Paths, run

def edition_pattern(pattern):
    schema = Path("schema/settings.schema.json")
    data = json.loads(schema.read_text(encoding="utf-8"))
    data["properties"]["edition"]["pattern"] = pattern
    schema.write_text(json.dumps(data), encoding="utf-8")


paths = Paths.for_root(Path("."))
page = paths.docs / "en" / "concepts" / "twin-towns.md"
assert run(paths).ok
edit = sys.argv[1]
if edit == "labels":
    labels = Path("kb/render/labels.yaml")
    labels.write_text(labels.read_text(encoding="utf-8").replace('en: "Definitions"', 'en: "What it means"'),
                      encoding="utf-8")
elif edit == "template":
    template = Path("kb/render/templates/concept.md.j2")
    template.write_text(template.read_text(encoding="utf-8") + "\\nEdited template.\\n", encoding="utf-8")
elif edit == "schema":
    edition_pattern("^[0-9]+[.][0-9]+[.][0-9]+$")
elif edit == "schema-message":
    settings = Path("kb.yml")
    settings.write_text(settings.read_text(encoding="utf-8").replace('edition: "0.1"', 'edition: "x"'),
                        encoding="utf-8")
    first = [str(p) for p in run(paths).problems.sorted()]
    assert any("^[0-9]+" in p for p in first), first
    edition_pattern("^v[0-9]+$")
elif edit == "export-late":
    export = Path("kb/render/export.py")
    original = export.read_text(encoding="utf-8")
    export.write_text(original.replace("FORMAT_VERSION = 1", "FORMAT_VERSION = 99"), encoding="utf-8")
    record = Path("concepts/twin-towns.yaml")
    record.write_text(record.read_text(encoding="utf-8").replace("پیوند دو شهر.", "پیمان دو شهر."),
                      encoding="utf-8")
    assert run(paths).ok
    export.write_text(original, encoding="utf-8")
elif edit == "code":
    code = Path("kb/text/inline.py")
    code.write_text(code.read_text(encoding="utf-8") + "\\n# edited while serving\\n", encoding="utf-8")
result = run(paths)
print(json.dumps({"problems": [str(p) for p in result.problems.sorted()], "page": page.read_text(encoding="utf-8")}))
"""


@pytest.mark.parametrize("edit", ["labels", "template", "schema", "schema-message", "code", "export-late"])
def test_a_server_building_again_sees_edited_labels_templates_and_schemas(tmp_path, edit):
    """make serve runs the pipeline again in the same process: its caches must not hide an edit.
    Edited Python code runs only after a restart, and then the pages are built again with it."""
    import json
    import subprocess
    import sys

    from tests.support.project import FIXTURES, make_project

    project = make_project(tmp_path / "p", records=FIXTURES / "small" / "concepts",
                           settings=FIXTURES / "small" / "kb.yml")
    if edit == "export-late":  # built before: the server's first run has nothing to do
        subprocess.run([sys.executable, "build_kb.py", "--quiet"], cwd=project, check=True)
    out = subprocess.run([sys.executable, "-c", RUN_EDIT_RUN, edit], cwd=project, capture_output=True,
                         text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    if edit == "labels":
        assert "## What it means {#definitions}" in result["page"] and result["problems"] == []
    elif edit == "template":
        assert result["page"].endswith("Edited template.\n") and result["problems"] == []
    elif edit == "schema":
        assert [p for p in result["problems"] if p.startswith("kb.yml:3: edition:")], result["problems"]
    elif edit == "schema-message":  # the full validator, built for the first error, is rebuilt too
        assert [p for p in result["problems"] if "^v[0-9]+$" in p], result["problems"]
    elif edit == "code":
        written_by = writing.manifest_inputs(project / "docs")
        subprocess.run([sys.executable, "build_kb.py", "--quiet"], cwd=project, check=True)  # the restart
        assert writing.manifest_inputs(project / "docs") != written_by
    else:  # export.py, loaded with the pipeline, ran as it was when the process started
        subprocess.run([sys.executable, "build_kb.py", "--quiet"], cwd=project, check=True)  # the restart
        assert json.loads((project / "docs" / "fa" / "kb.json").read_text(encoding="utf-8"))["format"] == 1


def test_git_ignores_every_page_build_kb_generates_from_the_repository():
    """A generated page committed by mistake is 'hand-written' on a fresh clone, and the build
    refuses to overwrite it: every path the real records generate must be git-ignored."""
    import subprocess

    from tests.support.project import REPO, repo_build

    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    result = repo_build()
    assert result.ok and result.plan is not None
    generated = sorted(f"docs/{path}" for path in result.plan.manifest)
    assert len(generated) > 50
    listed = subprocess.run(["git", "-C", str(REPO), "check-ignore", "--no-index", "--stdin"],
                            input="\n".join(generated), capture_output=True, text=True).stdout.split()
    assert sorted(set(generated) - set(listed)) == []
    tracked = subprocess.run(["git", "-C", str(REPO), "ls-files", "docs"], capture_output=True,
                             text=True, check=True).stdout.split()
    assert sorted(set(generated) & set(tracked)) == []

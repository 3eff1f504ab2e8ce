"""What each generated page depends on, as a short digest: a page whose digest has not changed
since the last run (and whose file is intact) need not be rendered again.

A concept page shows its own record; the titles and summaries of the concepts it links to or is
linked from (names, previews, map); the works it cites and the source articles; the settings;
and the code, templates and labels that render it. Site-wide pages (home, indexes, glossary, map,
bibliography, export) depend on everything. tests/test_properties.py checks that an incremental
build after changes equals a clean one.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import platform
import unicodedata
from functools import lru_cache
from pathlib import Path

from .linking import KnowledgeBase, statements
from .model import Concept, SiteSettings, WorkCitation

CODE_DIR = Path(__file__).resolve().parent
SCHEMA_DIR = CODE_DIR.parent / "schema"


LIBRARIES = ("PyYAML", "Jinja2", "MarkupSafe", "python-slugify", "jdatetime")
"""Libraries whose output ends up in the pages (front matter, escaping, anchors, Solar Hijri dates)."""


def code_version() -> str:
    """A digest of what shapes the output besides the records: the code, templates, labels and
    schemas, and the versions of Python (its Unicode tables sort the glossary) and of the
    libraries that render with them."""
    return hashlib.sha1(f"{running_code()} {data_files()}".encode()).hexdigest()


@lru_cache(maxsize=None)
def running_code() -> str:
    """kb/*.py as this process runs it, with Python's and the libraries' versions. Taken once:
    a change to the code takes effect only when the process restarts, and the digest must say
    which code wrote the pages."""
    sha = hashlib.sha1(f"{platform.python_version()} {unicodedata.unidata_version}".encode())
    for library in LIBRARIES:
        sha.update(f" {library} {_installed(library)}".encode())
    for path in sorted(CODE_DIR.rglob("*.py")):
        sha.update(path.relative_to(CODE_DIR).as_posix().encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()


@lru_cache(maxsize=None)
def data_files() -> str:
    """Templates, labels and schemas, which a running server reads again after an edit
    (reloading.py empties this cache then)."""
    sha = hashlib.sha1()
    for path in data_file_paths():
        sha.update(path.relative_to(CODE_DIR.parent).as_posix().encode())
        sha.update(path.read_bytes())
    return sha.hexdigest()


def data_file_paths() -> list[Path]:
    return ([p for p in sorted(CODE_DIR.rglob("*")) if p.suffix in (".j2", ".yaml") and p.is_file()]
            + sorted(SCHEMA_DIR.glob("*.json")))  # schemas shape what a record becomes


def _installed(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def digest(*parts) -> str:
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()


class Fingerprints:
    """Digests of the inputs of each page, computed once per record."""

    def __init__(self, kb: KnowledgeBase, settings: SiteSettings, record_digests: dict[str, str]):
        self.kb = kb
        self.base = digest(code_version(), settings, tuple(kb.articles.values()))
        # A record is a function of its file's bytes and the code (in self.base): the digest of
        # the bytes, already taken when the file was read, stands for the parsed record.
        def of(record) -> str:
            return digest(record.path, record_digests[record.path]) if record.path in record_digests \
                else digest(record)
        self._records = {cid: of(concept) for cid, concept in kb.concepts.items()}
        self._works = {wid: of(work) for wid, work in kb.works.items()}
        shared = (sorted(self._works.items()), sorted(kb.relations.items()), sorted(kb.backlinks.items()),
                  sorted(kb.citations.items()), sorted(kb.section_concepts.items()))
        # What the index pages show of each concept (home, concept index, glossary, map, bibliography,
        # articles): names, summary, where it comes from, its sections' titles; not its text.
        outlines = sorted((cid, c.title, c.aliases, c.summary, c.in_article, [(s.id, s.title) for s in c.sections])
                          for cid, c in kb.concepts.items())
        self.site_wide = digest(self.base, outlines, *shared)
        """For the pages that index the whole knowledge base."""
        self.everything = digest(self.base, sorted(self._records.items()), *shared)
        """For the export, which holds every word of every record."""

    def concept(self, concept: Concept) -> str:
        kb, cid = self.kb, concept.id
        neighbours = sorted(kb.links_from(cid) | set(kb.backlinks[cid]))
        shown = [(n, kb.concepts[n].title, kb.concepts[n].summary) for n in neighbours if n in kb.concepts]
        works = sorted({s.work for st in statements(concept) for s in st.sources if isinstance(s, WorkCitation)})
        return digest(self.base, self._records[cid], kb.relations[cid], kb.backlinks[cid], shown,
                      [self._works[w] for w in works if w in self._works])

"""Citations: every citation string the site shows, copies or offers for download comes from here.

- text.py: the pieces (dates, editions, names, years, title case);
- entries.py: the knowledge base's own pages and sections (APA 7, Chicago author-date, BibTeX,
  RIS), and what a concept page's cite controls show;
- sources.py: the source article and the works it cites (reference-list entries and secondary
  in-text citations: the works were not read, so they are cited "as cited in" the article);
- files.py: BibTeX, RIS and CSL-JSON records and the bibliography downloads;
- metadata.py: Highwire citation_* tags and JSON-LD for reference managers.
The page templates and kb-cite.js only show and copy these strings.
"""

from __future__ import annotations

from .entries import Entry, concept_page_citations, kb_apa, kb_chicago, kb_entry
from .files import (URL_SLOT, article_bibtex, article_ris, bibliography_bibtex, bibliography_csl_json,
                    bibliography_ris)
from .metadata import article_metadata, concept_metadata
from .sources import article_apa, article_chicago, article_in_text, secondary_in_text
from .text import (citation_language, edition_line, edition_text, long_date, title_case, work_label,
                   year_in_full)

__all__ = [
    "URL_SLOT", "Entry", "article_apa", "article_bibtex", "article_chicago", "article_in_text",
    "article_metadata", "article_ris", "bibliography_bibtex", "bibliography_csl_json", "bibliography_ris",
    "citation_language", "concept_metadata", "concept_page_citations", "edition_line", "edition_text",
    "kb_apa", "kb_chicago", "kb_entry", "long_date", "secondary_in_text", "title_case", "work_label", "year_in_full",
]

"""The pages about editions: what each changed, the Atom feed of them, and the pages of concepts
that a later edition removed (an old edition's link to the current page still leads somewhere).
The feed is XML, escaped with escape.xml_text; its links are relative to it, or to the site's
address when kb.yml gives one (xml:base).
"""

from __future__ import annotations

from ..editions import Edition
from ..languages import LANGUAGES
from ..text import escape
from .editions_view import change_lines, concept_section_titles, edition_label
from .environment import render_template
from .output import OutputPage
from .words import Words, read_labels

CHANGES = "changes/index.md"
FEED = "feed.xml"


def edition_page_specs(site, lang: str, page_context) -> list:
    """The changes pages, the feed and the removed concepts' pages of one language."""
    from .pages import PageSpec  # the page list's own type

    history = site.history
    specs = [PageSpec(f"{lang}/{CHANGES}", "build_kb.py", lambda: render_changes_index(site, lang, page_context))]
    for edition in history.editions:
        specs.append(PageSpec(f"{lang}/changes/{edition.edition}.md", "build_kb.py",
                              lambda e=edition: render_edition_changes(site, lang, e, page_context)))
    if site.archive is None:
        specs.append(PageSpec(f"{lang}/{FEED}", "build_kb.py", lambda: render_feed(site, lang)))
    for concept_id in removed_concepts(site):
        specs.append(PageSpec(f"{lang}/concepts/{concept_id}.md", "build_kb.py",
                              lambda c=concept_id: render_removed_concept(site, lang, c, page_context)))
    return specs


def removed_concepts(site) -> list[str]:
    """Concepts of a published edition that the records no longer have."""
    return sorted({cid for e in site.history.editions for cid in e.concepts} - set(site.kb.concepts))


def _changes(site, lang: str, edition: Edition, words) -> dict:
    """What an edition changed, as the changes page shows it: added, revised (with each section's
    changes), removed."""
    found = {"added": [], "revised": [], "removed": []}
    for change in site.history.changes_in(edition):
        entry = edition.concepts.get(change.concept) or site.history.last_holding(change.concept).concepts[change.concept]
        title = entry["title"][lang]
        concept = site.kb.concepts.get(change.concept)
        titles = concept_section_titles(site.history, concept, lang) if concept else {}
        found[change.kind].append({"id": change.concept, "title": title, "lines": change_lines(words, change, titles)})
    return found


def render_changes_index(site, lang: str, page_context) -> OutputPage:
    context = page_context(site, lang, CHANGES, previews=False)
    words, urls = context["words"], context["page_urls"]
    editions = [{"edition": e, "label": edition_label(words, e), "changes": _changes(site, lang, e, words),
                 "page": urls.to(f"changes/{e.edition}.md"), "fixed_copy": urls.in_edition(e.edition, "index.md")}
                for e in reversed(site.history.editions)]
    text = render_template("changes_index.md.j2", **context, editions=editions,
                           feed=urls.to_file(FEED) if site.archive is None else None)
    return OutputPage(f"{lang}/{CHANGES}", text, "build_kb.py")


def render_edition_changes(site, lang: str, edition: Edition, page_context) -> OutputPage:
    path = f"changes/{edition.edition}.md"
    context = page_context(site, lang, path, previews=False)
    words, urls = context["words"], context["page_urls"]
    first = site.history.editions[0] is edition
    changes = _changes(site, lang, edition, words)
    for items in changes.values():
        for item in items:  # each concept as the edition has it (or, removed, as the last one that had it)
            item["href"] = urls.in_edition(edition.edition, f"concepts/{item['id']}.md") \
                if item["id"] in edition.concepts else urls.concept(item["id"])
    text = render_template("changes_edition.md.j2", **context, edition=edition, label=edition_label(words, edition),
                           changes=changes, first=first, copy=urls.in_edition(edition.edition, "index.md"),
                           anchor="edition-" + edition.edition.replace(".", "-"))
    return OutputPage(f"{lang}/{path}", text, "build_kb.py")


def render_removed_concept(site, lang: str, concept_id: str, page_context) -> OutputPage:
    path = f"concepts/{concept_id}.md"
    context = page_context(site, lang, path, previews=False)
    words, urls = context["words"], context["page_urls"]
    last = site.history.last_holding(concept_id)
    later = site.history.editions[site.history.editions.index(last) + 1:]
    removed = later[0] if later else None  # the first edition without it
    text = render_template("removed_concept.md.j2", **context, concept_id=concept_id,
                           title=last.concepts[concept_id]["title"][lang], last=last,
                           removed=removed.edition if removed else "", copy=urls.in_edition(last.edition))
    return OutputPage(f"{lang}/{path}", text, "build_kb.py")


def render_feed(site, lang: str) -> OutputPage:
    """An Atom feed (RFC 4287) of the editions, newest first: what a feed reader follows."""
    words = Words(read_labels(), lang)
    base = site.settings.site_url + LANGUAGES[lang].site_root if site.settings.site_url else ""
    x = escape.xml_text
    editions = list(reversed(site.history.editions))
    updated = (editions[0].date if editions else site.settings.edition_date).isoformat() + "T00:00:00Z"
    key = f"urn:diplomacy-kb:{lang}"
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{lang}"' + (f' xml:base="{x(base)}"' if base else "") + ">",
             f"  <title>{x(site.settings.name[lang])}: {x(words('feed_title'))}</title>",
             f"  <id>{key}:editions</id>",
             f"  <updated>{updated}</updated>",
             '  <link rel="alternate" type="text/html" href="changes/"/>',
             f'  <link rel="self" type="application/atom+xml" href="{FEED}"/>',
             f"  <author><name>{x(site.settings.editors[lang])}</name></author>"]
    for edition in editions:
        changes = _changes(site, lang, edition, words)
        separator = LANGUAGES[lang].list_separator
        summary = LANGUAGES[lang].semicolon.join(
            f"{words('concepts_' + kind)}: " + separator.join(item["title"] for item in items)
            for kind, items in changes.items() if items)
        lines += ["  <entry>",
                  f"    <title>{x(edition_label(words, edition))}</title>",
                  f"    <id>{key}:edition:{x(edition.edition)}</id>",
                  f"    <updated>{edition.date.isoformat()}T00:00:00Z</updated>",
                  f'    <link rel="alternate" type="text/html" href="changes/{x(edition.edition)}/"/>',
                  f"    <summary>{x(summary or words('changes_none'))}</summary>",
                  "  </entry>"]
    lines.append("</feed>")
    return OutputPage(f"{lang}/{FEED}", "\n".join(lines) + "\n", "build_kb.py")

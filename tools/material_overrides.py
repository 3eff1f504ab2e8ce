#!/usr/bin/env python3
"""Write the Material templates this site overrides only to escape what Material prints raw.

MkDocs' Jinja environment does not autoescape, and Material for MkDocs prints the site name,
page titles and the page description as they are. Those come from records and kb.yml, which
contributors write, so each place is overridden with "| e" added. The overrides are copies of
Material's own templates; this script makes them from the installed Material and the edits
below, so that after an upgrade of Material they are made again in one command:

    python tools/material_overrides.py          write overrides/
    python tools/material_overrides.py --check  exit 1 if overrides/ differs (tests run this)

An edit whose text is no longer in Material's template stops the script: look at what
Material changed, then adapt the edit.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import material

ROOT = Path(__file__).resolve().parent.parent
MATERIAL = Path(material.__file__).parent / "templates"
OVERRIDES = ROOT / "overrides"

ESCAPED = "every value that can come from a record or from kb.yml is escaped (| e)"

PARTIALS = {
    "partials/header.html": [
        ('aria-label="{{ config.site_name }}"', 'aria-label="{{ config.site_name | e }}"'),
        # Material shows a title as a tooltip by inserting it with innerHTML: escaped twice.
        ('title="{{ config.site_name | e }}"', 'title="{{ config.site_name | e | forceescape }}"'),
        ("            {{ config.site_name }}\n", "            {{ config.site_name | e }}\n"),
        ("              {{ page.meta.title }}\n", "              {{ page.meta.title | e }}\n"),
        ("              {{ page.title }}\n", "              {{ page.title | e }}\n"),
        # The site's own search box (kb-search.html) where Material's search plugin is not used
        # (bench/run.py builds the same pages with it, to compare); none in an edition's fixed
        # copy, which has no search.
        ('      {% endif %}\n    {% endif %}\n    {% if config.repo_url %}',
         '      {% endif %}\n    {% elif not config.extra.kb_archive %}\n      {% include "partials/kb-search.html" %}\n'
         '    {% endif %}\n    {% if config.repo_url %}'),
    ],
    "partials/nav.html": [
        ('aria-label="{{ config.site_name }}"', 'aria-label="{{ config.site_name | e }}"'),
        ('title="{{ config.site_name | e }}"', 'title="{{ config.site_name | e | forceescape }}"'),
        ("    {{ config.site_name }}\n", "    {{ config.site_name | e }}\n"),
    ],
    "partials/nav-item.html": [
        ("    {{ nav_item.title }}\n", "    {{ nav_item.title | e }}\n"),
        ("<small>{{ nav_item.meta.subtitle }}</small>", "<small>{{ nav_item.meta.subtitle | e }}</small>"),
    ],
    "partials/footer.html": [
        ("                {{ page.previous_page.title }}\n", "                {{ page.previous_page.title | e }}\n"),
        ("                {{ page.next_page.title }}\n", "                {{ page.next_page.title | e }}\n"),
    ],
    "partials/content.html": [
        ("<h1>{{ page.title | d(config.site_name, true)}}</h1>",
         "<h1>{{ page.title | d(config.site_name, true) | e }}</h1>"),
    ],
    "partials/toc-item.html": [],
    "partials/javascripts/base.html": [
        # Material keys the reader's preferences (dark mode...) by the site's root. The English
        # site's root is /en/: kb_scope_up ("/..", mkdocs.en.yml) scopes both languages to one.
        ('{{ config.extra.scope | d(base_url) }}', "{{ config.extra.scope | d(base_url ~ config.extra.kb_scope_up | d('')) }}"),
    ],
}
"""Partials copied whole, with these (old, new) replacements."""

ELLIPSIS = ('class="md-ellipsis"', 'class="kb-ellipsis"')
"""In every partial above that has it. Where a title is cut short, Material copies the element's
innerText into the link's title and shows that as a tooltip with innerHTML, so a title written
as `<img onerror=…>`, escaped and shown as text, would become markup. kb.css gives .kb-ellipsis
the same look; a cut title shows its ellipsis and no tooltip (the page's heading has it whole)."""

_ALTERNATE_LINKS = re.compile(r"\n *{% if config\.extra\.alternate is iterable %}.*?{% endif %}", re.S)

BASE = [
    # dir on <html> as well as on <body>, where Material puts it.
    ('<html lang="{{ lang.t(\'language\') }}" class="no-js">',
     '<html lang="{{ lang.t(\'language\') }}" dir="{{ config.theme.direction or lang.t(\'direction\') }}" class="no-js">'),
]
"""Edits of Material's base.html outside its blocks (overrides/base.html is a copy with them)."""

BLOCKS = {
    "site_meta": [
        ('content="{{ page.meta.description }}"', 'content="{{ page.meta.description | e }}"'),
        ('content="{{ config.site_description }}"', 'content="{{ config.site_description | e }}"'),
        ('content="{{ page.meta.author }}"', 'content="{{ page.meta.author | e }}"'),
        ('content="{{ config.site_author }}"', 'content="{{ config.site_author | e }}"'),
        ('href="{{ page.canonical_url }}"', 'href="{{ page.canonical_url | e }}"'),
        # Material fetches sitemap.xml beside every <link rel="alternate"> and sends clicks on
        # the language switcher to the other language's home page; the switcher links each
        # page to its counterpart itself (partials/alternate.html).
        (_ALTERNATE_LINKS, ""),
    ],
    "htmltitle": [
        ("<title>{{ page.meta.title }} - {{ config.site_name }}</title>",
         "<title>{{ page.meta.title | e }} - {{ config.site_name | e }}</title>"),
        ("<title>{{ page.title | striptags }} - {{ config.site_name }}</title>",
         "<title>{{ page.title | striptags | e }} - {{ config.site_name | e }}</title>"),
        ("<title>{{ config.site_name }}</title>", "<title>{{ config.site_name | e }}</title>"),
    ],
}
"""Blocks of Material's base.html, overridden in overrides/main.html, with these replacements."""

MAIN = """{#-
  Generated by tools/material_overrides.py from Material's base.html: edit that script, not
  this file. The blocks site_meta and htmltitle are Material's own, except that %(escaped)s
  and the <link rel="alternate"> tags are left out.
-#}
{%% extends "base.html" %%}

{#- Citation metadata for reference managers (Zotero, Google Scholar: Highwire citation_* tags)
    and search engines (schema.org JSON-LD), written by build_kb.py into the page's front matter.
    Jinja's tojson writes <, > and & as \\u003c, \\u003e and \\u0026. -#}
{%% block extrahead %%}
  {{ super() }}
  {%% if page and page.meta and page.meta.kb_meta %%}
    {%% for name, content in page.meta.kb_meta %%}
    <meta name="{{ name | e }}" content="{{ content | e }}">
    {%% endfor %%}
  {%% endif %%}
  {%% if page and page.meta and page.meta.kb_jsonld %%}
    <script type="application/ld+json">{{ page.meta.kb_jsonld | tojson }}</script>
  {%% endif %%}
{%% endblock %%}

{#- A page of an edition's fixed copy says so at its top (build_kb gives the words, in the front
    matter's kb_archive); other pages have no banner. -#}
{%% block announce -%%}
  {%%- if page and page.meta and page.meta.kb_archive -%%}
    {%%- set archive = page.meta.kb_archive -%%}
    <p class="kb-archive-notice" data-kb-archive>{{ archive.notice | e }}
      <a href="{{ archive.current | e }}">{{ archive.current_label | e }}</a> ·
      <a href="{{ archive.changes | e }}">{{ archive.changes_label | e }}</a></p>
  {%%- endif -%%}
{%%- endblock %%}
%(blocks)s"""


def _replace(text: str, old, new: str, where: str) -> str:
    if isinstance(old, re.Pattern):
        replaced, count = old.subn(new, text)
    else:
        replaced, count = text.replace(old, new), text.count(old)
    if count == 0:
        raise SystemExit(f"{where}: Material's template no longer contains {getattr(old, 'pattern', old)!r}; "
                         "look at what changed and adapt the edit in tools/material_overrides.py")
    return replaced


def _block(source: str, name: str) -> str:
    match = re.search(rf"( *){{% block {name} %}}.*?{{% endblock %}}", source, re.S)
    if not match:
        raise SystemExit(f"base.html: no block {name!r}")
    return match.group(0).strip()


def generated_overrides() -> dict[str, str]:
    """overrides/ path -> its text, made from the installed Material."""
    files = {}
    for name, edits in PARTIALS.items():
        text = (MATERIAL / name).read_text(encoding="utf-8").split("-#}\n", 1)[1]  # Material's banner
        for old, new in edits:
            text = _replace(text, old, new, name)
        changes = ESCAPED
        if ELLIPSIS[0] in text:
            text = text.replace(*ELLIPSIS)
            changes += ", and its md-ellipsis is kb-ellipsis (no tooltip made from the text)"
        files[name] = (f"{{#-\n  Generated by tools/material_overrides.py from Material's {name}: edit that script,\n"
                       f"  not this file. Material's own, except that {changes}.\n-#}}\n") + text
    base = (MATERIAL / "base.html").read_text(encoding="utf-8")
    text = base.split("-#}\n", 1)[1]
    for old, new in BASE:
        text = _replace(text, old, new, "base.html")
    files["base.html"] = ("{#-\n  Generated by tools/material_overrides.py from Material's base.html: edit that script,\n"
                          "  not this file. Material's own, with dir on <html> too.\n-#}\n") + text
    blocks = []
    for name, edits in BLOCKS.items():
        text = _block(base, name)
        for old, new in edits:
            text = _replace(text, old, new, f"base.html block {name}")
        blocks.append(text)
    files["main.html"] = MAIN % {"escaped": ESCAPED, "blocks": "\n".join(blocks) + "\n"}
    return files


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report differences; write nothing")
    args = parser.parse_args(argv)
    stale = []
    for name, text in generated_overrides().items():
        path = OVERRIDES / name
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(name)
        if not args.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if args.check and stale:
        print("overrides/ is not what tools/material_overrides.py makes from the installed Material: "
              + ", ".join(stale) + "; run python tools/material_overrides.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

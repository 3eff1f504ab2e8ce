"""The Material templates overridden to escape what Material prints raw stay Material's own.

tools/material_overrides.py makes them from the installed Material and a short list of edits
(each adds "| e"). After an upgrade of Material this fails until the script is run again, so an
override can never silently freeze an old copy of Material's template.
"""

from __future__ import annotations

import subprocess
import sys

from tests.support.project import REPO


def test_the_overrides_are_materials_templates_with_only_the_escapes_added():
    done = subprocess.run([sys.executable, "tools/material_overrides.py", "--check"], cwd=REPO,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_every_place_material_prints_a_title_or_the_site_name_escapes_it():
    texts = {path.relative_to(REPO / "overrides").as_posix(): path.read_text(encoding="utf-8")
             for path in (REPO / "overrides").rglob("*.html")}
    for name in ("partials/header.html", "partials/nav.html", "main.html"):
        for raw in ("{{ config.site_name }}", "{{ page.title }}", "{{ page.meta.title }}",
                    "{{ page.meta.description }}", "{{ page.canonical_url }}"):
            assert raw not in texts[name], f"{name} prints {raw} unescaped"
    assert '<link rel="alternate" href' not in texts["main.html"]

"""The Jinja environment of the page templates (render/templates/): what {{ }} may print.

A template says where each value goes. Only Markup, which a helper escaped for its context
(see writer.py), and numbers may be printed; a plain string is an error, not raw output. The
filters md, html and attr escape a plain string for inline Markdown, HTML text and an HTML
attribute; anchor admits only a safe id. Jinja reloads a template whose file changed.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jinja2
import yaml
from markupsafe import Markup

from ..text import escape
from ..text.inline import isolate_runs

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
ANCHOR = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _finalize(value):
    if isinstance(value, Markup):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Markup(value)
    raise TypeError(f"a template prints {value!r} without saying where it goes: pass it through "
                    "the md, html or attr filter (or a helper of md or html)")


def _text(value) -> str:
    """The text a filter escapes: a string (or a number); anything else is a template's mistake
    (such as a dict's method where a key was meant), not text to print."""
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return str(value)
    raise TypeError(f"a template passes {value!r} to a text filter; expected text")


@jinja2.pass_context
def _md(context, value: str, lang: str | None = None) -> Markup:
    """Text as inline Markdown, shown as written (other-script runs marked)."""
    return Markup(isolate_runs(_text(value), lang or context["lang"], escape.markdown))


@jinja2.pass_context
def _html(context, value: str, lang: str | None = None) -> Markup:
    """Text inside an HTML element (other-script runs marked)."""
    return Markup(isolate_runs(_text(value), lang or context["lang"], escape.html_text))


def _attr(value: str) -> Markup:
    """A double-quoted HTML attribute value."""
    return Markup(escape.html_attribute(_text(value)))


def _anchor(value: str) -> Markup:
    """An id or anchor: validated ASCII slugs only (they are written as {#id}, id= and #id)."""
    if not ANCHOR.fullmatch(value):
        raise ValueError(f"{value!r} is not a safe anchor")
    return Markup(value)


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: ten times faster


@jinja2.pass_context
def front_matter(context, **fields) -> Markup:
    """The page's YAML front matter (title, description, metadata for the page head). A page of
    an edition's fixed copy also carries what its banner says (kb_archive, see main.html)."""
    fields = {k: v for k, v in fields.items() if v is not None}
    if context.get("archive_banner"):
        fields["kb_archive"] = context["archive_banner"]
    text = yaml.dump(fields, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    return Markup(f"---\n{text}---\n")


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATE_DIR)),
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        # `{#id}` is attr_list's heading-id syntax, which Jinja would read as a comment.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    env.filters.update(md=_md, html=_html, attr=_attr, anchor=_anchor)
    env.globals.update(front_matter=front_matter)
    return env


def render_template(name: str, **context) -> str:
    """A template rendered, with runs of blank lines collapsed so the output is stable."""
    text = environment().get_template(name).render(**context)
    lines: list[str] = []
    for line in (line.rstrip() for line in text.splitlines()):
        if line == "" and lines and lines[-1] == "":
            continue
        lines.append(line)
    return "\n".join(lines).strip("\n") + "\n"

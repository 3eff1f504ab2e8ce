"""Concept maps as inline SVG, drawn at build time from the relations (no JavaScript needed).

- `neighbourhood_svg`: one concept with what is broader (above), narrower (below), related
  and contrasted (beside it), each node a link to its page.
- `whole_map_svg`: every concept on a circle, in hierarchy order so that a concept sits
  next to its narrower concepts, with every relation drawn as a chord.
Each node links to its concept's page with the relative URL the page gives (href). Labels are
in the page's language; the same relations are listed as text on the page for screen readers.
"""

from __future__ import annotations

import math

from ..linking import KnowledgeBase
from ..text import escape
from ..text.persian import sort_key

NODE_WIDTH, LINE_HEIGHT, PADDING, GAP = 168, 17, 9, 18
LABEL_CHAR_WIDTH = {"fa": 7.0, "en": 7.0}
"""Average width of a character of a 12px label in Vazirmatn, rounded up (measured: 5.7 to 6.5)."""
CHARS_PER_LINE = 20
EDGE_STYLE = {
    "broader": 'stroke="currentColor" stroke-width="1.6"',
    "narrower": 'stroke="currentColor" stroke-width="1.6"',
    "related": 'stroke="currentColor" stroke-width="1.3" stroke-dasharray="2 4"',
    "contrasted": 'stroke="currentColor" stroke-width="1.3" stroke-dasharray="8 5"',
    "inferred": 'stroke="currentColor" stroke-width="1.6" stroke-opacity="0.4"',
}
INFERRED = ' stroke-opacity="0.4"'
"""Added to the line of a relation the editors infer (the legend explains it where one is drawn)."""


def wrap_label(text: str, width: int = CHARS_PER_LINE, max_lines: int = 3) -> list[str]:
    """Break a label into lines of about `width` characters, at spaces."""
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1] + "…"
    return lines


def _node(href: str, label: str, x: float, y: float, kind: str, lang: str, current: bool = False) -> str:
    lines = wrap_label(label)
    height = PADDING * 2 + LINE_HEIGHT * len(lines)
    left, top = x - NODE_WIDTH / 2, y - height / 2
    text = "".join(
        f'<tspan x="{x:.0f}" y="{top + PADDING + LINE_HEIGHT * (i + 0.8):.0f}">{escape.xml_text(line)}</tspan>'
        for i, line in enumerate(lines))
    box = (f'<rect x="{left:.0f}" y="{top:.0f}" width="{NODE_WIDTH}" height="{height:.0f}" rx="6" '
           f'class="kb-map-node kb-map-{kind}"/>'
           f'<text text-anchor="middle" direction="{"rtl" if lang == "fa" else "ltr"}">{text}</text>')
    if current:
        return f'<g class="kb-map-current">{box}</g>'
    return (f'<a href="{escape.xml_text(href)}" tabindex="-1" class="kb-map-link">'
            f"<title>{escape.xml_text(label)}</title>{box}</a>")


def _node_height(label: str) -> float:
    return PADDING * 2 + LINE_HEIGHT * len(wrap_label(label))


def _rows(ids: list[str], per_row: int) -> list[list[str]]:
    return [ids[i:i + per_row] for i in range(0, len(ids), per_row)]


def neighbourhood_svg(kb: KnowledgeBase, concept_id: str, lang: str, label: str, legend: dict[str, str],
                      href) -> str:
    """The concept and its neighbours, for the concept's own page."""
    relations = kb.relations[concept_id]
    title = lambda cid: kb.concepts[cid].title[lang]  # noqa: E731
    order = lambda ids: sorted(ids, key=lambda cid: sort_key(title(cid), lang))  # noqa: E731
    per_row = 3
    broader_rows = _rows(order(relations["broader"]), per_row)
    narrower_rows = _rows(order(relations["narrower"]), per_row)
    side = order(relations["related"])
    contrasted = order(relations["contrasted"])
    width = (max((len(r) for r in broader_rows + narrower_rows), default=1) + 2) * (NODE_WIDTH + GAP)
    row_height = _node_height("x " * 40) + GAP  # room for three lines
    side_rows = max(len(side), len(contrasted), 1)  # one column each side
    middle_height = side_rows * row_height
    height = (len(broader_rows) + len(narrower_rows)) * row_height + middle_height + 2 * GAP
    centre_x, centre_y = width / 2, GAP + len(broader_rows) * row_height + middle_height / 2
    edges, nodes = [], []
    inferred = lambda cid: frozenset((concept_id, cid)) in kb.inferences  # noqa: E731

    def place_rows(rows, y0, kind):
        for r, row in enumerate(rows):
            y = y0 + r * row_height + row_height / 2
            total = len(row) * (NODE_WIDTH + GAP) - GAP
            for i, cid in enumerate(row):
                x = width / 2 - total / 2 + NODE_WIDTH / 2 + i * (NODE_WIDTH + GAP)
                edges.append(_edge(centre_x, centre_y, x, y, kind, inferred(cid)))
                nodes.append(_node(href(cid), title(cid), x, y, kind, lang))

    place_rows(broader_rows, GAP, "broader")
    place_rows(narrower_rows, centre_y + middle_height / 2, "narrower")
    # related on the reading side's start, contrasted on its end
    start_x = width - NODE_WIDTH / 2 - GAP / 2 if lang == "fa" else NODE_WIDTH / 2 + GAP / 2
    end_x = width - start_x
    for column, kind, x in ((side, "related", start_x), (contrasted, "contrasted", end_x)):
        top = centre_y - (len(column) - 1) * row_height / 2
        for i, cid in enumerate(column):
            y = top + i * row_height
            edges.append(_edge(centre_x, centre_y, x, y, kind, inferred(cid)))
            nodes.append(_node(href(cid), title(cid), x, y, kind, lang))
    nodes.append(_node(href(concept_id), kb.concepts[concept_id].title[lang], centre_x, centre_y, "self", lang, True))
    shown = [cid for ids in relations.values() for cid in ids]
    return _svg(width, height, label, edges + nodes, _with_inferences(legend, any(map(inferred, shown))), lang)


def _with_inferences(legend: dict[str, str], drawn: bool) -> dict[str, str]:
    """The legend, without the faint line's entry when no inferred relation is drawn."""
    return legend if drawn else {kind: text for kind, text in legend.items() if kind != "inferred"}


def _edge(x1, y1, x2, y2, kind, inferred: bool = False) -> str:
    extra = INFERRED if inferred else ""
    return (f'<line x1="{x1:.0f}" y1="{y1:.0f}" x2="{x2:.0f}" y2="{y2:.0f}" {EDGE_STYLE[kind]}{extra} '
            'class="kb-map-edge"/>')


def _svg(width, height, label, parts, legend, lang) -> str:
    legend_y = height + 8
    legend_items = []
    x = 10 if lang == "en" else width - 10
    anchor = "start"  # the start of right-to-left text is its right-hand end
    for i, (kind, text) in enumerate(legend.items()):
        y = legend_y + 18 * i
        sign = 1 if lang == "en" else -1
        legend_items.append(
            f'<line x1="{x:.0f}" y1="{y:.0f}" x2="{x + sign * 34:.0f}" y2="{y:.0f}" {EDGE_STYLE[kind]}/>'
            f'<text x="{x + sign * 42:.0f}" y="{y + 4:.0f}" text-anchor="{anchor}" class="kb-map-legend" '
            f'direction="{"rtl" if lang == "fa" else "ltr"}">{escape.xml_text(text)}</text>')
    total_height = legend_y + 18 * len(legend) + 4
    # The map repeats relations that the page lists as text next to it, with the same links:
    # it is hidden from screen readers and its links are out of the tab order.
    return (f'<figure class="kb-map-figure"><svg class="kb-map-svg" viewBox="0 0 {width:.0f} {total_height:.0f}" '
            f'width="{width:.0f}" height="{total_height:.0f}" aria-hidden="true" focusable="false" '
            f'xmlns="http://www.w3.org/2000/svg">' + "".join(parts) + "".join(legend_items) + "</svg>"
            f'<figcaption>{escape.xml_text(label)}</figcaption></figure>')


def hierarchy_order(kb: KnowledgeBase, lang: str) -> list[str]:
    """Concepts in depth-first order of the broader/narrower trees, roots and siblings by title."""
    by_title = lambda cid: sort_key(kb.concepts[cid].title[lang], lang)  # noqa: E731
    seen, order = set(), []

    def visit(cid):
        if cid in seen:
            return
        seen.add(cid)
        order.append(cid)
        for child in sorted(kb.relations[cid]["narrower"], key=by_title):
            visit(child)

    for root in sorted((c for c in kb.concepts if not kb.relations[c]["broader"]), key=by_title):
        visit(root)
    for cid in sorted(kb.concepts, key=by_title):  # anything left (no root above it)
        visit(cid)
    return order


WHOLE_MAP_LIMIT = 150
"""The whole map draws at most this many concepts: past that it stops being readable (and the
page grows with the knowledge base). The page lists every relation as text in any case."""


def whole_map_concepts(kb: KnowledgeBase, lang: str) -> list[str]:
    """The concepts the whole map draws: all of them, or the first WHOLE_MAP_LIMIT in hierarchy order."""
    return hierarchy_order(kb, lang)[:WHOLE_MAP_LIMIT]


def whole_map_svg(kb: KnowledgeBase, lang: str, label: str, legend: dict[str, str], href) -> str:
    """The concepts (see whole_map_concepts) on a circle; relations among them as chords."""
    order = whole_map_concepts(kb, lang)
    drawn_ids = set(order)
    count = max(len(order), 1)
    radius = max(240, count * LINE_HEIGHT * 1.6 / math.pi)
    longest = max((len(kb.concepts[cid].title[lang]) for cid in order), default=10)
    margin = longest * LABEL_CHAR_WIDTH[lang] + 24  # room for the longest label beside its dot
    width, height = 2 * (radius + margin), 2 * (radius + 30)
    centre_x, centre_y = width / 2, height / 2
    position = {}
    # Nodes sit on two side arcs only, never at the top or bottom of the circle, so that the
    # horizontal labels stack one above the other instead of running into each other.
    right = math.ceil(count / 2)
    for i, cid in enumerate(order):
        if i < right:
            step = i / max(right - 1, 1)
            angle = math.radians(-72 + 144 * step)
        else:
            step = (i - right) / max(count - right - 1, 1)
            angle = math.radians(108 + 144 * step)
        position[cid] = (centre_x + radius * math.cos(angle), centre_y + radius * math.sin(angle), angle)
    edges = []
    drawn = set()
    for cid in order:
        for kind in ("narrower", "related", "contrasted"):
            for other in kb.relations[cid][kind]:
                pair = (kind, *sorted((cid, other)))
                if pair in drawn or other not in drawn_ids:
                    continue
                drawn.add(pair)
                x1, y1, _ = position[cid]
                x2, y2, _ = position[other]
                extra = INFERRED if frozenset((cid, other)) in kb.inferences else ""
                edges.append(f'<path d="M {x1:.0f} {y1:.0f} Q {centre_x:.0f} {centre_y:.0f} {x2:.0f} {y2:.0f}" '
                             f'fill="none" {EDGE_STYLE[kind]}{extra} class="kb-map-edge kb-map-{kind}-edge"/>')
    nodes = []
    for cid in order:
        x, y, angle = position[cid]
        on_right = math.cos(angle) >= 0
        label_x = x + (8 if on_right else -8)
        title = kb.concepts[cid].title[lang]
        anchor = "start" if on_right else "end"
        nodes.append(
            f'<a href="{escape.xml_text(href(cid))}" tabindex="-1" class="kb-map-link"><title>{escape.xml_text(title)}</title>'
            f'<circle cx="{x:.0f}" cy="{y:.0f}" r="5" class="kb-map-dot"/>'
            f'<text x="{label_x:.0f}" y="{y + 4:.0f}" text-anchor="{anchor}" direction="ltr" '
            f'class="kb-map-label">{escape.xml_text(title)}</text></a>')
    drawn_inferred = any(frozenset(p[1:]) in kb.inferences for p in drawn)
    return _svg(width, height, label, edges + nodes, _with_inferences(legend, drawn_inferred), lang)

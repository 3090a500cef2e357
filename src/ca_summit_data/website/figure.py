"""The summit at a glance as one inline SVG, drawn from the published data.

Left: the leaders, the host in the middle and the guests around, a line for each
one-on-one meeting with the host (a guest's labels on the side away from that line). Right:
the priority areas in the source's order with the initiatives under each. Below: the money
targets with their horizon, and the documents signed with their bound. The height follows
from the content, and every card keeps a margin inside the frame. Only system fonts; no
script, no external resource.
"""

from __future__ import annotations

import math
import textwrap
from html import escape

from .facts import Area, Initiative, Leader, SummitFacts, Target

WIDTH = 1000
MARGIN = 20
"""Every card and label stays this far inside the figure's frame (the page draws a rounded border round it)."""
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"
HOST_COLOUR, GUEST_COLOUR, INK, MUTED = "#b0002b", "#0f6e66", "#1d232b", "#5a6472"
AREA_COLOURS = ("#1c7c3a", "#1f5fbf", "#7a3db8", "#a35a00", "#9b1c5a")
HALO = {"paint_order": "stroke", "stroke": "#fffdf8", "stroke_width": "4", "stroke_linejoin": "round"}
"""A paper-coloured outline behind label text, so the meeting lines never run through the words."""
STATUS_COLOURS = {"planned": "#6b7280", "committed": "#a35a00", "launched": "#1c7c3a", "targeted": "#1f5fbf"}
CENTRE_X, CENTRE_Y, RADIUS, GUEST_R, HOST_R = 235.0, 290.0, 165.0, 34.0, 66.0
"""The leaders' circle: the host in the middle, the guests on a ring round it."""
LABELS_BELOW, LABELS_ABOVE = (52.0, 67.0, 81.0), (-71.0, -56.0, -42.0)
"""Baselines of a guest's country, name and title, relative to the centre of its node."""
AREAS_X, AREAS_TOP, AREA_GAP = 470.0, 60.0, 12.0
BOLD_14, PLAIN_12, BOLD_10 = 9.7, 6.6, 6.7
"""Widths of an average character in px (bold 14 px area names, 12 px initiative names, bold 10 px statuses),
to wrap or size text inside a card."""
CARD_HEIGHT = 130.0


def _text(x: float, y: float, content: str, size: int = 12, **attrs: str) -> str:
    extra = "".join(f' {k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}"{extra}>{escape(content)}</text>'


def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=True) or [""]


def _guest_positions(count: int) -> list[tuple[float, float, float]]:
    """(x, y, angle) of each guest on the ring, the first at the top."""
    angles = [math.radians(-90 + i * 360 / max(count, 1)) for i in range(count)]
    return [(CENTRE_X + RADIUS * math.cos(a), CENTRE_Y + RADIUS * math.sin(a), a) for a in angles]


def label_offsets(angle: float) -> tuple[float, float, float]:
    """Put a guest's labels on the node's outer side from the host, never across its meeting line.

    Below the node, except where the line from the host comes up from below at a steep angle
    (the top of the ring): there it would run through the words, so the labels go above.
    """
    return LABELS_ABOVE if math.sin(angle) < -0.45 else LABELS_BELOW


def _guest(leader: Leader, x: float, y: float, angle: float) -> list[str]:
    country, name, title = (y + dy for dy in label_offsets(angle))
    return [
        f'<g class="leader" data-person="{escape(leader.person_id)}">',
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{GUEST_R:.0f}" fill="{GUEST_COLOUR}"/>',
        _text(x, y + 6, leader.country_code, 16, fill="#fff", font_weight="700", text_anchor="middle"),
        _text(x, country, leader.country, 13, class_="label", fill=INK, font_weight="700", text_anchor="middle",
              **HALO),
        _text(x, name, leader.name, 12, class_="label", fill=INK, text_anchor="middle", **HALO),
        _text(x, title, leader.title, 11, class_="label", fill=MUTED, text_anchor="middle", **HALO),
        "</g>",
    ]


def _host(leader: Leader) -> list[str]:
    cx, cy = CENTRE_X, CENTRE_Y
    return [
        f'<g class="leader host" data-person="{escape(leader.person_id)}">',
        f'<circle cx="{cx}" cy="{cy}" r="{HOST_R:.0f}" fill="{HOST_COLOUR}"/>',
        _text(cx, cy - 22, f"{leader.country} · host", 15, fill="#fff", font_weight="700", text_anchor="middle"),
        _text(cx, cy + 2, leader.name, 13, fill="#fff", text_anchor="middle"),
        _text(cx, cy + 20, leader.title, 11, fill="#ffe4ea", text_anchor="middle"),
        _text(cx, cy + 42, leader.country_code, 11, fill="#ffe4ea", text_anchor="middle"),
        "</g>",
    ]


def _leaders(leaders: tuple[Leader, ...]) -> tuple[list[str], float]:
    """The leaders' part and the y below which it has drawn nothing."""
    out = [_text(MARGIN, 34, "Who met", 18, font_weight="700", fill=INK)]
    hosts = [leader for leader in leaders if leader.host]
    guests = [leader for leader in leaders if not leader.host]
    positions = _guest_positions(len(guests))
    for leader, (x, y, _) in zip(guests, positions, strict=True):
        style = 'stroke-width="3"' if leader.met_host else 'stroke-width="1.5" stroke-dasharray="5 5"'
        out.append(
            f'<line class="meeting" x1="{CENTRE_X:.1f}" y1="{CENTRE_Y:.1f}" x2="{x:.1f}" y2="{y:.1f}" '
            f'stroke="{GUEST_COLOUR}" stroke-opacity="0.55" {style}/>'
        )
    for leader, (x, y, angle) in zip(guests, positions, strict=True):
        out += _guest(leader, x, y, angle)
    for leader in hosts[:1]:
        out += _host(leader)
    lowest = max([CENTRE_Y + HOST_R, *(y + max(GUEST_R, label_offsets(a)[2] + 4) for _, y, a in positions)])
    legend = lowest + 26
    met = sum(1 for leader in guests if leader.met_host)
    out.append(
        f'<line x1="{MARGIN}" y1="{legend - 4:.1f}" x2="{MARGIN + 30}" y2="{legend - 4:.1f}" stroke="{GUEST_COLOUR}" '
        'stroke-opacity="0.55" stroke-width="3"/>'
    )
    out.append(_text(MARGIN + 38, legend, f"one-on-one meeting with the host ({met} of {len(guests)})", 11, fill=MUTED))
    return out, legend + 6


def _initiative(initiative: Initiative, x: float, y: float, width: float, colour: str) -> tuple[list[str], float]:
    """One initiative card and its height: the name, then the status badge, padded alike above and below."""
    lines = _lines(initiative.name, int((width - 20) / PLAIN_12))[:4]
    height = 38 + 15 * len(lines)
    out = [
        f'<g class="initiative" data-initiative="{escape(initiative.initiative_id)}">',
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height}" rx="8" fill="#fff" '
        f'stroke="{colour}" stroke-width="1.5"/>',
    ]
    out += [_text(x + 10, y + 19 + 15 * i, line, 12, fill=INK) for i, line in enumerate(lines)]
    badge_y = y + 19 + 15 * len(lines) - 6
    status_colour = STATUS_COLOURS.get(initiative.status, MUTED)
    badge_width = 12 + BOLD_10 * len(initiative.status)
    out.append(
        f'<rect x="{x + 10:.1f}" y="{badge_y}" width="{badge_width:.1f}" height="16" rx="8" fill="{status_colour}"/>'
    )
    status = _text(x + 10 + badge_width / 2, badge_y + 12, initiative.status, 10, fill="#fff", font_weight="700",
                   text_anchor="middle")
    out += [status, "</g>"]
    return out, height


def _area(area: Area, n: int, x: float, width: float) -> tuple[list[str], float]:
    """One area's column (heading card, then its initiatives) and the y where it ends."""
    colour = AREA_COLOURS[n % len(AREA_COLOURS)]
    name_lines = _lines(area.name, int((width - 24) / BOLD_14))[:3]
    head_height = 42 + 17 * (len(name_lines) - 1) + 12
    top = AREAS_TOP
    out = [
        f'<g class="area" data-area="{escape(area.area_id)}">',
        f'<rect x="{x:.1f}" y="{top}" width="{width:.1f}" height="{head_height}" rx="10" fill="{colour}"/>',
        _text(x + 12, top + 22, f"Area {area.position}", 11, fill="#fff", font_weight="700"),
    ]
    out += [
        _text(x + 12, top + 42 + 17 * i, line, 14, fill="#fff", font_weight="700") for i, line in enumerate(name_lines)
    ]
    y = top + head_height + 10
    if not area.initiatives:
        out.append(
            f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="52" rx="8" fill="none" stroke="{colour}" '
            'stroke-dasharray="4 4"/>'
        )
        out.append(_text(x + 10, y + 22, "no initiative named", 11, fill=MUTED))
        out.append(_text(x + 10, y + 38, "in the source", 11, fill=MUTED))
        y += 52 + 8
    for initiative in area.initiatives:
        card, height = _initiative(initiative, x, y, width, colour)
        out += card
        y += height + 8
    out.append("</g>")
    return out, y


def _areas(areas: tuple[Area, ...]) -> tuple[list[str], float]:
    """The areas side by side, sharing the width between AREAS_X and the right margin whatever their number."""
    out = [_text(AREAS_X, 34, f"{len(areas)} priority areas and their initiatives", 18, font_weight="700", fill=INK)]
    width = (WIDTH - MARGIN - AREAS_X - AREA_GAP * (len(areas) - 1)) / max(len(areas), 1)
    bottom = AREAS_TOP
    for n, area in enumerate(areas):
        column, end = _area(area, n, AREAS_X + n * (width + AREA_GAP), width)
        out += column
        bottom = max(bottom, end)
    return out, bottom


def _bottom(facts: SummitFacts, top: float) -> tuple[list[str], float]:
    """The headline cards (money targets, documents signed) in a row from ``top``, and where they end."""
    out: list[str] = []
    cards: list[tuple[str, list[str]]] = []
    for target in facts.targets:
        cards.append((target.amount, _target_lines(target)))
    if facts.documents:
        cards.append((facts.documents, ["cooperation documents signed", "and presented at the summit"]))
    if not cards:
        return out, top
    width = (WIDTH - 2 * MARGIN - 20 * (len(cards) - 1)) / len(cards)
    for n, (headline, lines) in enumerate(cards):
        x = MARGIN + n * (width + 20)
        out.append('<g class="headline">')
        out.append(
            f'<rect x="{x:.1f}" y="{top}" width="{width:.1f}" height="{CARD_HEIGHT:.0f}" rx="12" fill="#f3efe6"/>'
        )
        out.append(_text(x + 20, top + 44, headline, 32, fill=HOST_COLOUR, font_weight="800"))
        for i, line in enumerate(lines[:4]):
            out.append(_text(x + 20, top + 68 + 16 * i, line, 12, fill=INK if i == 0 else MUTED))
        out.append("</g>")
    return out, top + CARD_HEIGHT


def _target_lines(target: Target) -> list[str]:
    return [line for line in (f"{target.label}, {target.horizon}", target.equivalent, target.sectors) if line]


def summit_figure(facts: SummitFacts) -> str:
    """The figure as an ``<svg>`` element with a title and a description for screen readers."""
    guests = [leader for leader in facts.leaders if not leader.host]
    host = next((leader for leader in facts.leaders if leader.host), None)
    description = (
        f"{facts.name}, {facts.city}, {facts.dates}. "
        + (f"Host: {host.title} {host.name} ({host.country}). " if host else "")
        + "Guests: "
        + "; ".join(f"{g.title} {g.name} ({g.country})" for g in guests)
        + ". Priority areas: "
        + "; ".join(
            f"{a.position}. {a.name}: " + (", ".join(i.name for i in a.initiatives) or "none") for a in facts.areas
        )
        + ". "
        + " ".join(f"Target: {t.amount} {t.horizon}." for t in facts.targets)
        + (f" Documents signed: {facts.documents}." if facts.documents else "")
    )
    leaders, leaders_end = _leaders(facts.leaders)
    areas, areas_end = _areas(facts.areas)
    headlines, end = _bottom(facts, max(leaders_end, areas_end) + 20)
    height = math.ceil(end + MARGIN)
    parts = [
        f'<svg id="summit-figure" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="summit-figure-title summit-figure-desc" font-family="{escape(FONT)}">',
        f'<title id="summit-figure-title">{escape(facts.name)} at a glance</title>',
        f'<desc id="summit-figure-desc">{escape(description)}</desc>',
        f'<rect width="{WIDTH}" height="{height}" fill="#fffdf8"/>',
        *leaders,
        *areas,
        *headlines,
        "</svg>",
    ]
    return "\n".join(parts)

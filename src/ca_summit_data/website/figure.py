"""The summit at a glance as one inline SVG, drawn from the published data.

Left: the leaders, the host in the middle and the guests around, a line for each
one-on-one meeting with the host. Right: the priority areas in the source's order with
the initiatives under each. Below: the money targets with their horizon, and the
documents signed with their bound. Only system fonts; no script, no external resource.
"""

from __future__ import annotations

import math
import textwrap
from html import escape

from .facts import Area, Leader, SummitFacts, Target

WIDTH, HEIGHT = 1000, 680
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif"
HOST_COLOUR, GUEST_COLOUR, INK, MUTED = "#b0002b", "#0f6e66", "#1d232b", "#5a6472"
AREA_COLOURS = ("#1c7c3a", "#1f5fbf", "#7a3db8", "#a35a00", "#9b1c5a")
HALO = {"paint_order": "stroke", "stroke": "#fffdf8", "stroke_width": "4", "stroke_linejoin": "round"}
"""A paper-coloured outline behind label text, so the meeting lines never run through the words."""
STATUS_COLOURS = {"planned": "#6b7280", "committed": "#a35a00", "launched": "#1c7c3a", "targeted": "#1f5fbf"}


def _text(x: float, y: float, content: str, size: int = 12, **attrs: str) -> str:
    extra = "".join(f' {k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}"{extra}>{escape(content)}</text>'


def _lines(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width=width, break_long_words=True) or [""]


def _leaders(leaders: tuple[Leader, ...]) -> list[str]:
    cx, cy, radius = 235.0, 255.0, 165.0
    out = [_text(20, 34, "Who met", 18, font_weight="700", fill=INK)]
    hosts = [leader for leader in leaders if leader.host]
    guests = [leader for leader in leaders if not leader.host]
    positions = []
    for i, _ in enumerate(guests):
        angle = math.radians(-90 + i * 360 / max(len(guests), 1))
        positions.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    for leader, (x, y) in zip(guests, positions, strict=True):
        style = 'stroke-width="3"' if leader.met_host else 'stroke-width="1.5" stroke-dasharray="5 5"'
        out.append(
            f'<line class="meeting" x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" stroke="{GUEST_COLOUR}" '
            f'stroke-opacity="0.55" {style}/>'
        )
    for leader, (x, y) in zip(guests, positions, strict=True):
        out.append(f'<g class="leader" data-person="{escape(leader.person_id)}">')
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="34" fill="{GUEST_COLOUR}"/>')
        out.append(_text(x, y + 6, leader.country_code, 16, fill="#fff", font_weight="700", text_anchor="middle"))
        out.append(_text(x, y + 52, leader.country, 13, fill=INK, font_weight="700", text_anchor="middle", **HALO))
        out.append(_text(x, y + 67, leader.name, 12, fill=INK, text_anchor="middle", **HALO))
        out.append(_text(x, y + 81, leader.title, 11, fill=MUTED, text_anchor="middle", **HALO))
        out.append("</g>")
    for leader in hosts[:1]:
        out.append(f'<g class="leader host" data-person="{escape(leader.person_id)}">')
        out.append(f'<circle cx="{cx}" cy="{cy}" r="66" fill="{HOST_COLOUR}"/>')
        out.append(
            _text(cx, cy - 22, f"{leader.country} · host", 15, fill="#fff", font_weight="700", text_anchor="middle")
        )
        out.append(_text(cx, cy + 2, leader.name, 13, fill="#fff", text_anchor="middle"))
        out.append(_text(cx, cy + 20, leader.title, 11, fill="#ffe4ea", text_anchor="middle"))
        out.append(_text(cx, cy + 42, leader.country_code, 11, fill="#ffe4ea", text_anchor="middle"))
        out.append("</g>")
    met = sum(1 for leader in guests if leader.met_host)
    out.append(
        f'<line x1="20" y1="514" x2="50" y2="514" stroke="{GUEST_COLOUR}" stroke-opacity="0.55" stroke-width="3"/>'
    )
    out.append(_text(58, 518, f"one-on-one meeting with the host ({met} of {len(guests)})", 11, fill=MUTED))
    return out


def _areas(areas: tuple[Area, ...]) -> list[str]:
    x0, col_width, gap, top = 480.0, 165.0, 12.0, 60.0
    out = [_text(x0, 34, f"{len(areas)} priority areas and their initiatives", 18, font_weight="700", fill=INK)]
    for n, area in enumerate(areas):
        x = x0 + n * (col_width + gap)
        colour = AREA_COLOURS[n % len(AREA_COLOURS)]
        name_lines = _lines(area.name, 18)[:3]
        head_height = 34 + 17 * len(name_lines)
        out.append(f'<g class="area" data-area="{escape(area.area_id)}">')
        out.append(f'<rect x="{x}" y="{top}" width="{col_width}" height="{head_height}" rx="10" fill="{colour}"/>')
        out.append(_text(x + 12, top + 22, f"Area {area.position}", 11, fill="#fff", font_weight="700"))
        for i, line in enumerate(name_lines):
            out.append(_text(x + 12, top + 42 + 17 * i, line, 14, fill="#fff", font_weight="700"))
        y = top + head_height + 10
        if not area.initiatives:
            out.append(
                f'<rect x="{x}" y="{y}" width="{col_width}" height="52" rx="8" fill="none" stroke="{colour}" '
                'stroke-dasharray="4 4"/>'
            )
            out.append(_text(x + 10, y + 22, "no initiative named", 11, fill=MUTED))
            out.append(_text(x + 10, y + 38, "in the source", 11, fill=MUTED))
        for initiative in area.initiatives:
            lines = _lines(initiative.name, 21)[:4]
            height = 36 + 15 * len(lines)
            out.append(f'<g class="initiative" data-initiative="{escape(initiative.initiative_id)}">')
            out.append(
                f'<rect x="{x}" y="{y}" width="{col_width}" height="{height}" rx="8" fill="#fff" '
                f'stroke="{colour}" stroke-width="1.5"/>'
            )
            for i, line in enumerate(lines):
                out.append(_text(x + 10, y + 19 + 15 * i, line, 12, fill=INK))
            status_colour = STATUS_COLOURS.get(initiative.status, MUTED)
            badge_y = y + 19 + 15 * len(lines) - 6
            out.append(
                f'<rect x="{x + 10}" y="{badge_y}" width="{8 + 6.4 * len(initiative.status):.1f}" height="16" '
                f'rx="8" fill="{status_colour}"/>'
            )
            out.append(_text(x + 14, badge_y + 12, initiative.status, 10, fill="#fff", font_weight="700"))
            out.append("</g>")
            y += height + 8
        out.append("</g>")
    return out


def _bottom(facts: SummitFacts) -> list[str]:
    top = 540.0
    out: list[str] = []
    cards: list[tuple[str, list[str]]] = []
    for target in facts.targets:
        cards.append((target.amount, _target_lines(target)))
    if facts.documents:
        cards.append((facts.documents, ["cooperation documents signed", "and presented at the summit"]))
    if not cards:
        return out
    width = (WIDTH - 20 * (len(cards) - 1)) / len(cards)
    for n, (headline, lines) in enumerate(cards):
        x = n * (width + 20)
        out.append('<g class="headline">')
        out.append(f'<rect x="{x:.1f}" y="{top}" width="{width:.1f}" height="130" rx="12" fill="#f3efe6"/>')
        out.append(_text(x + 20, top + 44, headline, 32, fill=HOST_COLOUR, font_weight="800"))
        for i, line in enumerate(lines[:4]):
            out.append(_text(x + 20, top + 68 + 16 * i, line, 12, fill=INK if i == 0 else MUTED))
        out.append("</g>")
    return out


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
    parts = [
        f'<svg id="summit-figure" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="summit-figure-title summit-figure-desc" font-family="{escape(FONT)}">',
        f'<title id="summit-figure-title">{escape(facts.name)} at a glance</title>',
        f'<desc id="summit-figure-desc">{escape(description)}</desc>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fffdf8"/>',
        *_leaders(facts.leaders),
        *_areas(facts.areas),
        *_bottom(facts),
        "</svg>",
    ]
    return "\n".join(parts)

"""Pixel layout that Vega-Lite leaves to the designer: text widths, wrapping, scales and label placement.

Charts are drawn at the width they are shown, so positions can be worked out here in pixels: each
direct label is placed where it overlaps no other label and no mark, with a leader line when it has to
move away from its point. Widths are measured with DejaVu Sans (the widest common sans; phones'
system fonts are narrower), so a label that fits here fits on a reader's screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

_CHARS = (" !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
          "–—’‘“”…·×éèüöäçñ€£")
_REGULAR = (0.318, 0.401, 0.46, 0.838, 0.636, 0.95, 0.78, 0.275, 0.39, 0.39, 0.5, 0.838, 0.318, 0.361, 0.318,
            0.337, *[0.636] * 10, 0.337, 0.337, 0.838, 0.838, 0.838, 0.531, 1.0, 0.684, 0.686, 0.698, 0.77, 0.632,
            0.575, 0.775, 0.752, 0.295, 0.295, 0.656, 0.557, 0.863, 0.748, 0.787, 0.603, 0.787, 0.695, 0.635,
            0.611, 0.732, 0.684, 0.989, 0.685, 0.611, 0.685, 0.39, 0.337, 0.39, 0.838, 0.5, 0.5, 0.613, 0.635,
            0.55, 0.635, 0.615, 0.352, 0.635, 0.634, 0.278, 0.278, 0.579, 0.278, 0.974, 0.634, 0.612, 0.635,
            0.635, 0.411, 0.521, 0.392, 0.634, 0.592, 0.818, 0.592, 0.592, 0.525, 0.636, 0.337, 0.636, 0.838,
            0.5, 1.0, 0.318, 0.318, 0.518, 0.518, 1.0, 0.318, 0.838, 0.615, 0.615, 0.634, 0.612, 0.613, 0.55,
            0.634, 0.636, 0.636)
_BOLD_FACTOR = 1.1
"""DejaVu Sans Bold is about 10% wider than regular."""
_EM: dict[str, float] = dict(zip(_CHARS, _REGULAR, strict=True))
LINE = 1.25
"""Line height as a multiple of the font size."""


def text_width(text: str, size: float = 12, bold: bool = False) -> float:
    """Width of one line of text in px (other scripts' letters count as wide letters, emoji wider still)."""
    em = sum(_EM.get(ch, 0.75 if ch.isalpha() else 1.25) for ch in text)  # other letters, then symbols/emoji
    return em * size * (_BOLD_FACTOR if bold else 1.0)


def wrap(text: str, width: float, size: float = 12, bold: bool = False) -> list[str]:
    """Greedy word wrap to a pixel width; a single word wider than the width gets a line of its own."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, bold) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in chart pixels (y grows downwards)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, pad: float = 2.0) -> bool:
        """True when the boxes come closer than `pad` px."""
        return (self.x0 < other.x1 + pad and other.x0 < self.x1 + pad
                and self.y0 < other.y1 + pad and other.y0 < self.y1 + pad)

    def inside(self, left: float, top: float, right: float, bottom: float) -> bool:
        """True when the box lies within the given edges."""
        return self.x0 >= left and self.y0 >= top and self.x1 <= right and self.y1 <= bottom


def text_box(x: float, y: float, lines: Sequence[str], align: str, size: float = 12, bold: bool = False) -> Box:
    """Box of text drawn at (x, y) with baseline 'top' (y is the top of the first line)."""
    w = max(text_width(line, size, bold) for line in lines)
    x0 = x if align == "left" else x - w if align == "right" else x - w / 2
    return Box(x0, y, x0 + w, y + size * LINE * len(lines))


@dataclass(frozen=True)
class Linear:
    """A linear scale from a numeric domain to pixels (as Vega draws it with nice=False)."""

    d0: float
    d1: float
    r0: float
    r1: float

    def __call__(self, value: float) -> float:
        """Pixel position of a domain value."""
        if self.d1 == self.d0:
            return self.r0
        return self.r0 + (value - self.d0) / (self.d1 - self.d0) * (self.r1 - self.r0)


def days(day: dt.date | str) -> float:
    """A date as a number of days, for pixel scales of time axes."""
    return float((dt.date.fromisoformat(day) if isinstance(day, str) else day).toordinal())


def nice_max(value: float, ticks: int = 4) -> float:
    """A round upper bound for an axis from zero with at most `ticks` steps: 653 -> 800, 127 -> 150."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** (len(str(int(value / ticks))) - 1)
    for step in (m * f for m in (magnitude, magnitude * 10) for f in (1, 2, 2.5, 5)):
        count = -(-value // step)
        if count <= ticks:
            return count * step
    return value


@dataclass(frozen=True)
class Label:
    """Text to place near a point (ax, ay); placement fills x, y, align and whether a leader line is drawn."""

    text: str
    ax: float
    ay: float
    bold: bool = False
    size: float = 12
    x: float = 0.0
    y: float = 0.0
    align: str = "left"
    leader: bool = False
    lines: tuple[str, ...] = ()
    slide: float = 0.0
    """When set, the label names a horizontal line at ay: it slides along it (from ax leftwards this many px)."""
    optional: bool = False
    """Left out, rather than drawn over something, when no free place is found."""

    def box(self) -> Box:
        """The box the placed text covers."""
        return text_box(self.x, self.y, self.lines or (self.text,), self.align, self.size, self.bold)

    def row(self, **extra: object) -> dict[str, object]:
        """The label as a data row for the chart (pixel positions, drawn with scale=None)."""
        end_x = self.x - 3 if self.align == "right" else self.x + 3 if self.align == "left" else self.x
        box = self.box()
        # the leader ends at the side of the text nearest the point
        lx = min(max(self.ax, box.x0), box.x1) if self.align == "center" else end_x
        ly = min(max(self.ay, box.y0), box.y1)
        return {"text": list(self.lines or (self.text,)), "x": round(self.x, 1), "y": round(self.y, 1),
                "align": self.align, "ax": round(self.ax, 1), "ay": round(self.ay, 1), "lx": round(lx, 1),
                "ly": round(ly, 1), "leader": self.leader, "bold": self.bold, **extra}


_NEAR: list[tuple[float, float, str]] = [(8, -8, "left"), (-8, -8, "right"), (0, -22, "center"), (0, 8, "center"),
                                          (8, 2, "left"), (-8, 2, "right")]
"""Offsets (dx, dy of the text's top) tried first: beside or above/below the point, no leader."""


def _candidates(label: Label) -> Iterable[tuple[float, float, str, bool]]:
    if label.slide:
        height = label.size * LINE * len(label.lines or (label.text,))
        for step in range(0, int(label.slide) + 1, 6):
            yield label.ax - step, label.ay - height - 2, "right", False
            yield label.ax - step, label.ay + 3, "right", False
        return
    for dx, dy, align in _NEAR:
        yield label.ax + dx, label.ay + dy - (label.size * LINE / 2 if dy in (-8, 2) else 0), align, False
    for reach in (24, 40, 60, 84, 112, 144):
        for dx, dy, align in ((0, -reach, "center"), (-reach * 0.6, -reach, "right"), (reach * 0.6, -reach, "left"),
                              (0, reach, "center"), (-reach, 0, "right"), (reach, 0, "left"),
                              (-reach * 0.6, reach, "right"), (reach * 0.6, reach, "left"),
                              (6, -reach, "right"), (-6, -reach, "left"), (6, reach, "right"), (-6, reach, "left")):
            yield label.ax + dx, label.ay + dy, align, True


def place(labels: Sequence[Label], bounds: Box, obstacles: Iterable[Box] = ()) -> list[Label]:
    """Place labels in order (most important first) where they overlap nothing placed before.

    Candidates run from beside the point to farther away with a leader line; when every candidate inside
    `bounds` overlaps something, the one with the fewest overlaps wins (the browser test reports text overlaps).
    """
    taken = list(obstacles)
    placed: list[Label] = []
    for label in labels:
        lines = label.lines or (label.text,)
        best: tuple[int, int, Label] | None = None
        for rank, (x, y, align, leader) in enumerate(_candidates(label)):
            trial = replace(label, x=x, y=y, align=align, leader=leader, lines=tuple(lines))
            box = trial.box()
            if not box.inside(bounds.x0, bounds.y0, bounds.x1, bounds.y1):
                continue
            hits = sum(box.overlaps(t) for t in taken)
            if best is None or (hits, rank) < best[:2]:
                best = (hits, rank, trial)
            if hits == 0:
                break
        if label.optional and (best is None or best[0] > 0):
            continue
        chosen = best[2] if best else replace(label, x=label.ax, y=label.ay, align="center", lines=tuple(lines))
        placed.append(chosen)
        taken.append(chosen.box())
    return placed


def crowded(labels: Sequence[Label], obstacles: Sequence[Box] = ()) -> bool:
    """Whether any placed label overlaps another or an obstacle (`place` had to accept an overlap).

    Boxes must cross by more than 2 px: text boxes include the line's leading, so boxes within `place`'s margin,
    or crossing by a pixel or two, hold glyphs that do not touch.
    """
    boxes = [label.box() for label in labels]
    return any(a.overlaps(b, pad=-2) for i, a in enumerate(boxes) for b in [*boxes[i + 1:], *obstacles])


def point_box(x: float, y: float, radius: float = 6.0) -> Box:
    """The box a point mark covers."""
    return Box(x - radius, y - radius, x + radius, y + radius)

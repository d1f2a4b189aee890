"""Measure chart text as a reader sees it: displayed font size, clipping and overlap of every SVG text.

The static chart is an <img>, whose SVG a page script cannot look into; so the SVG the browser chose
(`currentSrc`) is fetched again and laid out inline at the image's displayed size, where each <text>
has a box. Shared by the browser test and by scripts that report before/after sizes.
"""

from __future__ import annotations

from dataclasses import dataclass

MEASURE_JS = """async fig => {
  const scheme = document.body.getAttribute('data-md-color-scheme') === 'slate' ? 'dark' : 'light';
  const img = fig.querySelector('picture.chart-' + scheme + ' img');
  const shown = img.getBoundingClientRect();
  const src = img.currentSrc || img.src;
  const markup = await (await fetch(src)).text();
  const host = document.createElement('div');
  host.style.cssText = 'position:absolute;left:0;top:0;visibility:hidden;width:' + shown.width + 'px';
  host.innerHTML = markup;
  document.body.appendChild(host);
  const svg = host.querySelector('svg');
  const intrinsic = parseFloat(svg.getAttribute('width'));
  svg.style.width = shown.width + 'px';
  svg.style.height = 'auto';
  const frame = svg.getBoundingClientRect();
  const scale = shown.width / intrinsic;
  const texts = [];
  for (const el of svg.querySelectorAll('text')) {
    const content = el.textContent.trim();
    if (!content) continue;
    let hidden = false;
    for (let n = el; n && n !== svg; n = n.parentElement) {
      const o = n.getAttribute('opacity') || n.getAttribute('fill-opacity');
      if (o !== null && parseFloat(o) === 0) hidden = true;
    }
    if (hidden) continue;
    const r = el.getBoundingClientRect();
    const size = parseFloat(el.getAttribute('font-size') || getComputedStyle(el).fontSize);
    texts.push({text: content, size: size * scale, x0: r.left - frame.left, y0: r.top - frame.top,
                x1: r.right - frame.left, y1: r.bottom - frame.top});
  }
  host.remove();
  return {src: src.split('/').pop(), intrinsic, shown: shown.width, width: frame.width, height: frame.height, texts};
}"""


@dataclass(frozen=True)
class Measured:
    """One chart image as displayed: its file, widths and the problems found."""

    chart: str
    src: str
    intrinsic: float
    shown: float
    smallest: float
    small: list[str]
    clipped: list[str]
    overlaps: list[str]


MIN_PX = 12.0
TOLERANCE = 0.75
"""Pixels of slack for antialiasing and font metrics at box edges."""


def _overlap(a: dict, b: dict) -> bool:
    dx = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
    dy = min(a["y1"], b["y1"]) - max(a["y0"], b["y0"])
    return dx > TOLERANCE and dy > TOLERANCE


def measure(fig, chart: str) -> Measured:
    """Measure one figure element (a Playwright locator) in the page's current scheme."""
    m = fig.evaluate(MEASURE_JS)
    texts = m["texts"]
    small = [f"{t['text']!r} at {t['size']:.1f}px" for t in texts if t["size"] < MIN_PX - 0.01]
    clipped = [repr(t["text"]) for t in texts
               if t["text"].endswith("…") or t["x0"] < -TOLERANCE or t["y0"] < -TOLERANCE
               or t["x1"] > m["width"] + TOLERANCE or t["y1"] > m["height"] + TOLERANCE]
    overlaps = [f"{a['text']!r} / {b['text']!r}" for i, a in enumerate(texts) for b in texts[i + 1:] if _overlap(a, b)]
    return Measured(chart, m["src"], m["intrinsic"], m["shown"], min((t["size"] for t in texts), default=0.0),
                    small, clipped, overlaps)

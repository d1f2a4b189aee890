"""axe-core (from npm, node_modules/) with the WCAG 2.0/2.1 A and AA rules: no violation, light and dark."""

from __future__ import annotations

import pytest

from .conftest import PAGES, page_id, scheme, toggle_palette

pytestmark = pytest.mark.browser

AXE_RUN = ("axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},"
           " resultTypes: ['violations']})")


def report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"  {v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:8]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"      {node['target']}: {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"      ... and {len(v['nodes']) - 8} more")
    return "\n".join(lines)


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_axe_wcag21_aa_light_and_dark(open_page, axe_script, path):
    """One page load per page: axe in the light scheme, then again after the reader's switch to dark."""
    rec = open_page(path, bypass_csp=True)  # axe is injected by the test: the site's policy rightly forbids it
    page = rec.page
    page.add_script_tag(path=str(axe_script))
    found = {}
    for mode in ("light", "dark"):
        if mode == "dark":
            toggle_palette(page)
        assert scheme(page) == mode
        found[mode] = page.evaluate(AXE_RUN)["violations"]
    if any(found.values()):
        pytest.fail("\n".join(f"axe: WCAG 2.1 AA violations on /{path} ({mode}):\n{report(v)}"
                              for mode, v in found.items() if v), pytrace=False)

"""The site's Content-Security-Policy, written from our templates and never from what a built page holds.

Every script the pages run is a file on the site (the theme's inline snippets are moved into
`docs/assets/theme-*.js` by the template overrides), so the policy allows scripts from the site itself
only: no hash, no 'unsafe-inline', no 'unsafe-eval'. Styles allow 'unsafe-inline' because the live Vega
view and the theme set style attributes. Pages carry the policy in a <meta> tag too, for hosts that send
no headers (GitHub Pages); `frame-ancestors` works only as a header, so the meta version leaves it out.
"""

from __future__ import annotations

DIRECTIVES = (
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
)


def policy(*, frame_ancestors: str | None = "'self'") -> str:
    """The policy string; `frame_ancestors=None` for the <meta> tag (browsers ignore the directive there)."""
    directives = list(DIRECTIVES)
    if frame_ancestors is not None:
        directives.append(f"frame-ancestors {frame_ancestors}")
    return "; ".join(directives)

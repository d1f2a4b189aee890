"""State that must outlive one build of `mkdocs serve`.

MkDocs re-imports hook files on every rebuild, so the hook keeps here whether
it is serving, the site of the current build, and the last one built from valid data.
"""

from __future__ import annotations

from typing import Any

serving: bool = False
current: Any = None
last_good: Any = None
problems: list[Any] = []

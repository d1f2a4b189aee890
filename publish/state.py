"""State that must outlive one build of `mkdocs serve`.

MkDocs re-imports hook files on every rebuild, so the preview keeps here whether it is serving,
the staged tree of the current build, the last site built from valid data, and the problems to show.
"""

from __future__ import annotations

from typing import Any

serving: bool = False
staged: Any = None
last_good: Any = None
site_key: str = ""
"""Hash of the inputs `last_good` was made from: a rebuild with the same inputs reuses it."""
problems: list[Any] = []
banner_title: str = ""
version: dict[str, str] = {}
workers_warmed: bool = False
"""Whether the chart workers were started ahead of the first data edit."""
deferred: Any = None
"""(site, inputs key) of a build whose changed charts are still being drawn; the first page that needs them waits."""
settled: Any = None
"""The site of this build once its deferred charts are in (or fell back): pages get their image sizes from it."""
settled_files: dict[str, bytes] = {}
"""Chart images and embed pages that arrived after MkDocs copied the generated files: written at the end."""
late_problems: list[str] = []
"""A chart that failed while the pages were being built: shown in a banner put in at the end of each page."""
downloads: Any = None
"""(site, render cache) whose chart downloads are queued for the background once this build is out."""

"""Command line: `python -m build_charts check|render|schema` (see `--help`)."""

from .cli import main

raise SystemExit(main())

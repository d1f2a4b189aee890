"""Profiles for missed targets, with pyinstrument: a call tree plus a flat list of self time.

The command lines are recorded in the output so a run can be repeated by hand.
"""

from __future__ import annotations

import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from .common import PY, ROOT, child_env

PYINSTRUMENT = str(Path(PY).with_name("pyinstrument"))


def render(session: Any, out: Path, command: str) -> str:
    """Write the tree and flat views of `session` to `out`; return a short summary (top lines of both)."""
    from pyinstrument.renderers import ConsoleRenderer

    tree = ConsoleRenderer(unicode=False, color=False).render(session)
    flat = ConsoleRenderer(unicode=False, color=False, flat=True).render(session)
    out.write_text(f"# {command}\n\n## Call tree\n{tree}\n## Self time (flat)\n{flat}", encoding="utf-8")
    tree_top = [ln for ln in tree.splitlines() if ln.strip()][:40]
    flat_top = [ln for ln in flat.splitlines() if ln.strip()][:22]
    return "\n".join(["call tree (top):", *tree_top, "", "self time (top):", *flat_top])


def profile_module(module_args: list[str], cwd: Path, out: Path) -> dict[str, Any]:
    """`pyinstrument -m MODULE ARGS` in `cwd` (the copy); the session is rendered into `out`."""
    from pyinstrument.session import Session

    with tempfile.TemporaryDirectory(prefix="bench-profile-") as tmp:
        session_file = Path(tmp) / "profile.pyisession"
        cmd = [PYINSTRUMENT, "-r", "session", "-o", str(session_file), "-m", *module_args]
        proc = subprocess.run(cmd, cwd=cwd, env=child_env(), capture_output=True, text=True, check=False)
        if proc.returncode or not session_file.exists():
            raise RuntimeError(f"profiling failed: {shlex.join(cmd)}\n{proc.stderr[-3000:]}")
        command = f"cd {shlex.quote(str(cwd))} && PYTHONPATH={shlex.quote(str(ROOT))} {shlex.join(cmd)}"
        summary = render(Session.load(str(session_file)), out, command)
    return {"file": str(out), "command": command, "summary": summary}

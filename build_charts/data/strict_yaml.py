"""A strict YAML reader for editor-written data files.

PyYAML's defaults are unsafe for data: duplicate keys silently overwrite,
aliases can expand without bound, and YAML 1.1 reads `no` as False, `012` as 10
and `1.10` as 1.1. This reader composes the node tree (no construction), rejects
those cases with a location, and resolves plain scalars with a small YAML 1.2
core-like schema: dates stay strings, so models parse them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import Problem

MAX_BYTES = 1_000_000
"""Data files above this size are rejected before parsing (no dataset is near it)."""

MAX_DEPTH = 50
"""Deepest nesting of lists and mappings allowed (data files use under 10 levels).

Why: PyYAML composes nodes recursively, so a file of a few thousand `[` raised
RecursionError, which escaped load_data instead of becoming a located problem.
"""

MAX_NUMBER_CHARS = 30
"""Longest plain number accepted. Why: int() of more than 4,300 digits raised ValueError
(escaping load_data) and a 400-digit float silently became inf."""

Path = tuple[str | int, ...]

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]+")
_FLOAT = re.compile(r"[-+]?(0|[1-9][0-9]*)\.[0-9]+")
_OTHER_NUMBER = re.compile(
    r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|\.inf|\.nan)")
_YAML11_BOOL = {"yes", "no", "on", "off", "y", "n"}
_BOOL = {"true": True, "false": False}
_NULL = {"", "~", "null"}
_FORBIDDEN_CHARS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
"""C0/C1 controls, and characters PyYAML rejects or counts as line breaks (U+0085, U+2028, U+2029).

Why: PyYAML raised an unlocated ReaderError (escaping load_data) for C1 controls and
U+FFFE/U+FFFF, and read U+0085/U+2028/U+2029 as line breaks, so every later line
number in the file was off by one from what editors show.
"""
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ESCAPED_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
"""Characters decode() rejects, or lone surrogates, written as double-quoted escapes (`"\\0"`, `"\\ud800"`).

Why: escapes slipped them into values, and from there into SVG/XML output (where controls are invalid)
and UTF-8 files (which cannot encode a lone surrogate).
"""


def _text_pos(text: str, index: int) -> tuple[int, int]:
    """Return the 1-based line and column (in characters, breaks counted as PyYAML does) of `text[index]`.

    Why: decode() counted bytes for columns and always gave column 1 for NUL bytes.
    """
    breaks = list(_LINE_BREAK.finditer(text, 0, index))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, index - start + 1


@dataclass
class Located:
    """A parsed document plus the source position of every value and key."""

    data: Any
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the deepest known prefix of `path`."""
        table = self.keys if key and path in self.keys else self.values
        for cut in range(len(path), -1, -1):
            prefix = path[:cut]
            if prefix in table:
                return table[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return (1, 1)


class _Reject(Exception):
    def __init__(self, mark: yaml.Mark | None, field_name: str, message: str) -> None:
        self.mark = mark
        self.field_name = field_name
        self.message = message


class _Composer(yaml.SafeLoader):
    """Refuses aliases, anchors, explicit tags and deep nesting while composing, before anything can expand."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        """Compose one node after the checks.

        Why tags and depth: `!!str 12` silently became 12, and deep nesting raised RecursionError.
        """
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Reject(event.start_mark, "yaml", f"alias '*{event.anchor}' is not allowed in data files")
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Reject(event.start_mark, "yaml", f"anchor '&{anchor}' is not allowed in data files")
        tag = getattr(event, "tag", None)
        if tag is not None:
            # Why: an explicit tag was ignored for plain scalars, so `!!str 12` silently became the number 12.
            name = index.value if isinstance(index, yaml.ScalarNode) else "yaml"
            raise _Reject(event.start_mark, name, f"tag '{tag}' is not allowed in data files; remove it")
        if self._depth >= MAX_DEPTH:
            raise _Reject(event.start_mark, "yaml", f"values are nested more than {MAX_DEPTH} levels deep")
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _pos(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


_RESOLVED_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "value", "merge", "yaml")
}


def _scalar(node: yaml.ScalarNode, name: str) -> Any:
    """Resolve a scalar with the small schema. Why the length check: huge plain numbers crashed int() or became inf."""
    if node.tag not in _RESOLVED_TAGS:
        raise _Reject(node.start_mark, name, f"tag '{node.tag}' is not allowed in data files")
    text = node.value
    if node.style:
        return text  # quoted or block scalar: always text
    lowered = text.lower()
    if lowered in _NULL:
        return None
    if lowered in _BOOL:
        return _BOOL[lowered]
    if lowered in _YAML11_BOOL:
        raise _Reject(node.start_mark, name,
                      f"'{text}' is ambiguous (YAML 1.1 reads it as a boolean); write true/false, or quote it as text")
    if len(text) > MAX_NUMBER_CHARS and _OTHER_NUMBER.fullmatch(text) and any(ch.isdigit() for ch in text):
        raise _Reject(node.start_mark, name,
                      f"a number of {len(text):,} characters is too long (the limit is {MAX_NUMBER_CHARS}); "
                      "quote it if it is text")
    if _LEADING_ZERO.fullmatch(text):
        raise _Reject(node.start_mark, name,
                      f"'{text}' has a leading zero (YAML 1.1 reads it as octal); "
                      "write the number without it, or quote it")
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        if text.endswith("0"):
            raise _Reject(node.start_mark, name,
                          f"'{text}' would be read as {float(text)!r} and lose its trailing zero; "
                          "write it without the zero, or quote it as text")
        return float(text)
    if _OTHER_NUMBER.fullmatch(text) and any(ch.isdigit() for ch in text):
        raise _Reject(node.start_mark, name,
                      f"'{text}' is a number in a form YAML versions read differently; write plain digits, or quote it")
    return text


def _build(node: yaml.Node, path: Path, out: Located) -> Any:
    """Turn a node into data, recording positions.

    Why the key and escape checks: empty keys gave problems with an empty field, and escapes let control
    characters through.
    """
    out.values[path] = _pos(node.start_mark)
    name = str(path[-1]) if path else "document"
    if isinstance(node, yaml.ScalarNode):
        bad = _ESCAPED_CONTROL.search(node.value)
        if bad:
            raise _Reject(node.start_mark, name,
                          f"character U+{ord(bad.group()):04X} (written as an escape) is not allowed in data files")
        return _scalar(node, name)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            raise _Reject(node.start_mark, name, f"tag '{node.tag}' is not allowed")
        return [_build(child, (*path, i), out) for i, child in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            raise _Reject(node.start_mark, name, f"tag '{node.tag}' is not allowed")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Reject(key_node.start_mark, name, "keys must be plain words")
            key = key_node.value
            if not key.strip() or not key.isprintable():
                # Why: an empty key (a bare `?`) or one with a line break made a problem line with an empty
                # or multi-line field, breaking the one-line `path:line:column: field: message` format.
                raise _Reject(key_node.start_mark, name, f"key {key!r} must be a plain word")
            if key == "<<":
                raise _Reject(key_node.start_mark, key, "merge keys ('<<') are not allowed in data files")
            if key in result:
                first = out.keys[(*path, key)]
                raise _Reject(key_node.start_mark, key,
                              f"duplicate key (first defined at line {first[0]}); each key may appear once")
            out.keys[(*path, key)] = _pos(key_node.start_mark)
            result[key] = _build(value_node, (*path, key), out)
        return result
    raise _Reject(node.start_mark, name, "unsupported YAML node")


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Turn file bytes into text, rejecting empty, oversized, binary and non-UTF-8 files.

    Why the wider character set: C1 controls and U+FFFE escaped load_data as ReaderError, and U+0085/U+2028/
    U+2029 shifted line numbers; why character columns: byte columns were wrong after non-ASCII text.
    """
    if len(raw) > MAX_BYTES:
        return None, [Problem(path, 1, 1, "file", f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,} bytes")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte order mark is accepted and ignored (see the methodology page)
    if not raw.strip():
        return None, [Problem(path, 1, 1, "file", "file is empty")]
    if b"\x00" in raw:
        # Why: the column was always 1; count characters before the NUL as an editor does.
        before = raw[: raw.index(b"\x00")].decode("utf-8", errors="replace")
        line, column = _text_pos(before, len(before))
        return None, [Problem(path, line, column, "file", "file contains NUL bytes: it looks binary, not YAML text")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Why: the column counted bytes, so it was wrong after any non-ASCII character on the line.
        before = raw[: exc.start].decode("utf-8")
        line, column = _text_pos(before, len(before))
        return None, [Problem(path, line, column, "file",
                              f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8")]
    bad = _FORBIDDEN_CHARS.search(text)
    if bad:
        line, column = _text_pos(text, bad.start())
        kind = "line separator" if bad.group() in "\x85\u2028\u2029" else "control character"
        if bad.group() in "\ufffe\uffff":
            kind = "non-character"
        return None, [Problem(path, line, column, "file",
                              f"{kind} U+{ord(bad.group()):04X} is not allowed in data files")]
    return text, []


_CLoader = getattr(yaml, "CSafeLoader", None)


def _fast(text: str) -> Located | None:
    """Parse with libyaml when the document is plainly valid; None means "use the careful path".

    Why: the pure-Python composer took most of a warm rebuild (0.5 s of 2.1 s). The event scan refuses
    anchors, aliases, tags and deep nesting before libyaml composes anything, and any problem at all
    is left to `parse`'s pure-Python path, so messages and positions stay exactly the same.
    """
    if _CLoader is None:
        return None
    try:
        depth = 0
        for event in yaml.parse(text, Loader=_CLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None \
                    or getattr(event, "tag", None) is not None:
                return None
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth >= MAX_DEPTH:
                    return None
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
        node = yaml.compose(text, Loader=_CLoader)
        if node is None:
            return None
        out = Located(data=None)
        out.data = _build(node, (), out)
        return out
    except (_Reject, yaml.YAMLError, ValueError):
        return None


def parse(text: str, path: str) -> tuple[Located | None, list[Problem]]:
    """Parse one YAML document strictly; return it with positions, or the problem.

    Why the loader is built inside `try`: its reader raised an unlocated ReaderError out of load_data; why the
    context mark at end of stream: an unclosed quote was reported at the last line, not where it opened.
    """
    fast = _fast(text)  # libyaml, like the pure-Python reader, counts columns in characters
    if fast is not None:
        return fast, []
    loader: _Composer | None = None
    try:
        loader = _Composer(text)  # Why inside try: the reader raises ReaderError here for unprintable characters
        node = loader.get_single_node()
        if node is None:
            return None, [Problem(path, 1, 1, "file", "file holds no YAML document")]
        out = Located(data=None)
        out.data = _build(node, (), out)
        return out, []
    except _Reject as rej:
        line, column = _pos(rej.mark)
        return None, [Problem(path, line, column, rej.field_name, rej.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and mark is not None and mark.index >= len(text):
            # Why: an unclosed quote or bracket was reported at the end of the file; point at where it opened.
            mark = exc.context_mark
        line, column = _pos(mark)
        what = exc.problem or "invalid YAML"
        if "\\t" in what or "tab" in what.lower():
            what += " (use spaces, not tabs, to indent)"
        context = f" ({exc.context})" if exc.context else ""
        return None, [Problem(path, line, column, "yaml", f"syntax error: {what}{context}")]
    except yaml.reader.ReaderError as exc:
        line, column = _text_pos(text, exc.position)
        return None, [Problem(path, line, column, "file",
                              f"character U+{exc.character:04X} is not allowed in data files")]
    except yaml.YAMLError as exc:
        return None, [Problem(path, 1, 1, "yaml", f"syntax error: {exc}")]
    finally:
        if loader is not None:
            loader.dispose()

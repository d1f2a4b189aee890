"""A strict YAML reader for editor-written data files.

PyYAML's defaults are unsafe for data: duplicate keys silently overwrite,
aliases can expand without bound, and YAML 1.1 reads `no` as False, `012` as 10
and `1.10` as 1.1. This reader composes the node tree (no construction), rejects
those cases with a location, and resolves plain scalars with a small YAML 1.2
core-like schema: dates stay strings, so models parse them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..gcpause import gc_paused
from .errors import Problem
from .yaml_syntax import explain

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


def _invisible(char: str) -> str:
    """The message for a character that must not be in a data file, whatever way it got there."""
    code = f"U+{ord(char):04X}"
    if char in "\x85\u2028\u2029":
        return (f"an invisible line separator ({code}) is here, often pasted from a web page or a word processor: "
                "delete it, or replace it with a space")
    if char in "\ufffe\uffff":
        return f"an invalid character ({code}) is here: delete it"
    return f"an invisible control character ({code}) is here: delete it (retype the words around it if you cannot)"


def _tag(tag: str) -> str:
    """A tag as the editor wrote it: `!!str`, not `tag:yaml.org,2002:str`."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


def _plain_number(text: str) -> str | None:
    """The digits an editor most likely meant by a number YAML versions read differently (`0x18` -> 24)."""
    cleaned = text.replace("_", "")
    try:
        if re.fullmatch(r"[-+]?0x[0-9a-fA-F]+", cleaned):
            return str(int(cleaned, 16))
        if re.fullmatch(r"[-+]?0o[0-7]+", cleaned):
            return str(int(cleaned, 8))
        number = float(cleaned)
    except ValueError:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return str(int(number)) if number.is_integer() else repr(number)


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
            raise _Reject(event.start_mark, "yaml",
                          f"'*{event.anchor}' is read as a YAML alias (a reference to another value), which data "
                          "files do not allow: write the value out in full, or put a text starting with '*' in quotes")
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _Reject(event.start_mark, "yaml",
                          f"'&{anchor}' is read as a YAML anchor, which data files do not allow: remove it, or put a "
                          "text starting with '&' in quotes")
        tag = getattr(event, "tag", None)
        if tag is not None:
            # Why: an explicit tag was ignored for plain scalars, so `!!str 12` silently became the number 12.
            name = index.value if isinstance(index, yaml.ScalarNode) else "yaml"
            hint = " (to keep a number as text, put it in quotes instead)" if tag.endswith(":str") else ""
            raise _Reject(event.start_mark, name,
                          f"'{_tag(tag)}' is read as a YAML tag, which data files do not allow: remove it{hint}")
        if self._depth >= MAX_DEPTH:
            raise _Reject(event.start_mark, "yaml",
                          f"values are nested more than {MAX_DEPTH} levels deep: look for a '[' or '{{' that is "
                          "never closed")
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
        raise _Reject(node.start_mark, name, f"'{_tag(node.tag)}' is read as a YAML tag, which data files do not "
                                             "allow: remove it")
    if node.style:
        return node.value  # quoted or block scalar: always text
    return _plain(node.value, node.start_mark, name)


def _plain(text: str, mark: yaml.Mark | None, name: str) -> Any:
    """A plain scalar's value. Why apart from `_scalar`: the fast path resolves plain values without a node."""
    lowered = text.lower()
    if lowered in _NULL:
        return None
    if lowered in _BOOL:
        return _BOOL[lowered]
    if lowered in _YAML11_BOOL:
        raise _Reject(mark, name,
                      f"'{text}' is read as true or false by some YAML readers: write true or false for a yes/no "
                      f'value, or put a text in quotes, "{text}"')
    if len(text) > MAX_NUMBER_CHARS and _OTHER_NUMBER.fullmatch(text) and any(ch.isdigit() for ch in text):
        raise _Reject(mark, name,
                      f"this number has {len(text):,} characters, more than the {MAX_NUMBER_CHARS} allowed: if it "
                      "is text, put it in quotes")
    if _LEADING_ZERO.fullmatch(text):
        raise _Reject(mark, name,
                      f"'{text}' has a leading zero, which some YAML readers take for an octal number: write "
                      f'{int(text)}, or put a text in quotes, "{text}"')
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        if text.endswith("0"):
            raise _Reject(mark, name, _trailing_zero(text))
        return float(text)
    if _OTHER_NUMBER.fullmatch(text) and any(ch.isdigit() for ch in text):
        plain = _plain_number(text)
        fix = f"write it as plain digits, {plain}" if plain else "write the number in plain digits"
        raise _Reject(mark, name,
                      f"'{text}' is a number in a form YAML readers disagree on: {fix}, or put a text in quotes")
    return text


def _trailing_zero(text: str) -> str:
    """Why `1.10` is refused, and the two things the editor may have meant (`1.200` may be 1200)."""
    number = float(text)
    if re.fullmatch(r"[-+]?\d{1,3}\.\d{3}", text):
        whole = text.replace(".", "")
        return (f"'{text}' would be read as {number!r}: if you mean {int(whole)}, write {int(whole)} (no thousands "
                f"separator); if you mean {number!r}, write {number!r}")
    return (f"'{text}' would be read as {number!r} and lose its trailing zero: write {number!r}, or put it in "
            f'quotes if the zero matters, "{text}"')


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
                          f"an escape in this text writes U+{ord(bad.group()):04X}, an invisible character data files "
                          "do not allow: remove the escape (a backslash and what follows it)")
        return _scalar(node, name)
    if isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            raise _Reject(node.start_mark, name, f"'{_tag(node.tag)}' is read as a YAML tag, which data files do "
                                                 "not allow: remove it")
        return [_build(child, (*path, i), out) for i, child in enumerate(node.value)]
    if isinstance(node, yaml.MappingNode):
        if node.tag != "tag:yaml.org,2002:map":
            raise _Reject(node.start_mark, name, f"'{_tag(node.tag)}' is read as a YAML tag, which data files do "
                                                 "not allow: remove it")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Reject(key_node.start_mark, "key", "a field name must be a plain word before the colon, not a "
                                                          "list or a group: write `name: value`")
            key = key_node.value
            if not key.strip() or not key.isprintable():
                # Why: an empty key (a bare `?`) or one with a line break made a problem line with an empty
                # or multi-line field, breaking the one-line `path:line:column: field: message` format.
                raise _Reject(key_node.start_mark, "key", f"the field name {key!r} is empty or holds a line break: "
                                                          "write a plain word before the colon, like `night:`")
            if key == "<<":
                raise _Reject(key_node.start_mark, key, "'<<' (a YAML merge key) is not allowed in data files: "
                                                        "write each field out in full")
            if key in result:
                first = out.keys[(*path, key)]
                raise _Reject(key_node.start_mark, key,
                              f"{key} is already given at line {first[0]}: keep one of the two lines and delete "
                              "the other")
            out.keys[(*path, key)] = _pos(key_node.start_mark)
            result[key] = _build(value_node, (*path, key), out)
        return result
    raise _Reject(node.start_mark, name, "unsupported YAML node")


def _last_line(text: str) -> int:
    """The number of the last line that is not empty, counting CRLF, CR and LF breaks as PyYAML does.

    Why counts, not a regex: finding every break of a 10 MB file took 0.08 s; this takes a quarter of that.
    """
    body = text.rstrip("\r\n")
    return body.count("\n") + body.count("\r") - body.count("\r\n") + 1


def _clamped(out: Located, text: str) -> Located:
    """Positions moved back into the file.

    Why: an empty value at the very end (`? key` with no value) was placed on a line after the last one,
    which no editor can go to.
    """
    last = _last_line(text)
    for table in (out.values, out.keys):
        for key, (line, _column) in table.items():
            if line > last:
                table[key] = (last, 1)
    return out


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Turn file bytes into text, rejecting empty, oversized, binary and non-UTF-8 files.

    Why the wider character set: C1 controls and U+FFFE escaped load_data as ReaderError, and U+0085/U+2028/
    U+2029 shifted line numbers; why character columns: byte columns were wrong after non-ASCII text.
    """
    if len(raw) > MAX_BYTES:
        return None, [Problem(path, 1, 1, "file", f"the file is {len(raw):,} bytes, more than the {MAX_BYTES:,} "
                                                  "allowed: check that it is the right file (data files are far "
                                                  "smaller)")]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [Problem(path, 1, 1, "file", "the file is saved as UTF-16: save it as UTF-8 (in the editor's "
                                                  "encoding menu)")]
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a UTF-8 byte order mark is accepted and ignored (see the methodology page)
    if not raw.strip():
        return None, [Problem(path, 1, 1, "file", "the file is empty: it needs `meta:` and its records; restore it "
                                                  "from git if it was emptied by mistake")]
    if b"\x00" in raw:
        # Why: the column was always 1; count characters before the NUL as an editor does.
        before = raw[: raw.index(b"\x00")].decode("utf-8", errors="replace")
        line, column = _text_pos(before, len(before))
        if raw.count(b"\x00") > 2:
            return None, [Problem(path, line, column, "file", "the file holds binary data, not text: check that it is "
                                                              "the right file, or restore it from git")]
        return None, [Problem(path, line, column, "file", _invisible("\x00"))]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Why: the column counted bytes, so it was wrong after any non-ASCII character on the line.
        before = raw[: exc.start].decode("utf-8")
        line, column = _text_pos(before, len(before))
        return None, [Problem(path, line, column, "file",
                              f"the file is not saved as UTF-8 (byte 0x{raw[exc.start]:02x} here is not UTF-8): save "
                              "it as UTF-8 (in the editor's encoding menu), then check the letters here")]
    bad = _FORBIDDEN_CHARS.search(text)
    if bad:
        line, column = _text_pos(text, bad.start())
        return None, [Problem(path, line, column, "file", _invisible(bad.group()))]
    return text, []


_CLoader = getattr(yaml, "CSafeLoader", None)


_RESOLVER = yaml.resolver.Resolver()
_SEQ_TAG = _RESOLVER.resolve(yaml.SequenceNode, None, (True, False))
_MAP_TAG = _RESOLVER.resolve(yaml.MappingNode, None, (True, False))


@functools.lru_cache(maxsize=65_536)
def _resolved(value: str, implicit: tuple[bool, bool]) -> str:
    """The tag PyYAML's composer gives a scalar without an explicit tag (memoised: data repeat their values)."""
    return _RESOLVER.resolve(yaml.ScalarNode, value, implicit)


def _tag_check_needed() -> bool:
    """Whether the resolver can give an untagged node a tag `_build` refuses.

    Why: with PyYAML's own resolver it cannot (every implicit tag is in `_RESOLVED_TAGS`), so the fast path
    skips resolving each scalar; were the resolver ever extended, the fast path checks tags as `_build` does.
    """
    implicit = {tag for resolvers in _RESOLVER.yaml_implicit_resolvers.values() for tag, _regexp in resolvers}
    return (bool(_RESOLVER.yaml_path_resolvers) or not {*implicit, _RESOLVER.DEFAULT_SCALAR_TAG} <= _RESOLVED_TAGS
            or _SEQ_TAG != "tag:yaml.org,2002:seq" or _MAP_TAG != "tag:yaml.org,2002:map")


_TAG_CHECK_NEEDED = _tag_check_needed()
_REFUSED = object()
"""What `_plain_fast` gives for a plain scalar `_plain` refuses."""
_LONGEST_WORD = max(len(word) for word in (*_NULL, *_BOOL, *_YAML11_BOOL))
_NUMBER_START = frozenset("+-.0123456789")
"""The characters every number pattern starts with: a longer plain scalar starting otherwise is text as written.

Why: `_plain` tries several patterns on each value; almost every plain value in the data is a word or a
sentence, and `lower()` never shortens a text, so none of them can match.
"""


@functools.lru_cache(maxsize=65_536)
def _plain_fast(text: str) -> Any:
    """`_plain` without a position, `_REFUSED` where it refuses (memoised: numbers and short words repeat)."""
    try:
        return _plain(text, None, "")
    except _Reject:
        return _REFUSED


_NO_ROOT = object()


def _fast(text: str) -> Located | None:
    """Parse with libyaml when the document is plainly valid; None means "use the careful path".

    Why: the pure-Python composer took most of a warm rebuild (0.5 s of 2.1 s). Anchors, aliases, tags, deep
    nesting and anything `_build` refuses make the fast path give up, and `parse`'s pure-Python path then
    reads the file, so messages and positions stay exactly the same.
    """
    if _CLoader is None:
        return None
    with gc_paused():  # load_data pauses it too; this covers `parse` called on its own
        return _fast_parse(text)


def _fast_parse(text: str) -> Located | None:
    """Data and positions built straight from libyaml's events, by `_build`'s rules; None where `_build` refuses.

    Why one pass: building PyYAML nodes from the events, then walking them, took most of the fast path on
    10 MB of YAML (3.4 s, now 1.4 s); making the values as the events arrive skips both. Why `get_event` and not
    `yaml.parse`: its generator made two calls per event. Tested equal to the node route on every data,
    fixture and broken file and on random documents (tests/test_yaml_fast_build.py).
    """
    try:
        loader = _CLoader(text)  # Why inside try: a lone surrogate cannot be encoded for libyaml (ValueError)
        try:
            return _from_events(iter(loader.get_event, None), text)  # None after the stream's end
        finally:
            loader.dispose()
    except (yaml.YAMLError, ValueError):
        return None


def _from_events(events: Iterable[yaml.Event], text: str) -> Located | None:
    """`_build` and `_clamped` of the single document in the events; None for whatever `_fast` leaves to `parse`.

    Why `_clamped`'s rule is applied as each position is made: a second pass over the positions of a 10 MB file
    took 0.1 s. Why the escape check only on double-quoted values when the text is clean: only escapes make
    characters that are not in the text (line breaks aside), so a clean text cannot give a plain, single-quoted
    or block value holding one.
    """
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    escaped, refused, number_start, longest_word = _ESCAPED_CONTROL.search, _REFUSED, _NUMBER_START, _LONGEST_WORD
    check_every_value = escaped(text) is not None
    last = _last_line(text)
    values: dict[Path, tuple[int, int]] = {}
    keys: dict[Path, tuple[int, int]] = {}
    parents: list[tuple[Any, Path, bool]] = []
    top: Any = None  # the innermost open list or dict; None outside them
    top_path: Path = ()
    in_mapping = False
    key_path: Path | None = None  # in a mapping: the path of the key whose value comes next
    root: Any = _NO_ROOT
    documents = 0
    for event in events:
        kind = type(event)
        if kind is scalar_event:
            if event.anchor is not None or event.tag is not None:
                return None
            mark = event.start_mark
            value = event.value
            if in_mapping and key_path is None:
                if not value.strip() or not value.isprintable() or value == "<<" or value in top:
                    return None
                key_path = (*top_path, value)
                line = mark.line + 1
                keys[key_path] = (line, mark.column + 1) if line <= last else (last, 1)
                continue
            style = event.style
            if (check_every_value or style == '"') and escaped(value):
                return None
            if _TAG_CHECK_NEEDED and _resolved(value, event.implicit) not in _RESOLVED_TAGS:
                return None
            if style or (len(value) > longest_word and value[0] not in number_start):
                data: Any = value
            else:
                data = _plain_fast(value)
                if data is refused:
                    return None
            line = mark.line + 1
            pos = (line, mark.column + 1) if line <= last else (last, 1)
            if in_mapping:
                values[key_path] = pos  # type: ignore[index]
                top[key_path[-1]] = data  # type: ignore[index]
                key_path = None
            elif top is not None:
                values[(*top_path, len(top))] = pos
                top.append(data)
            else:
                values[()] = pos
                root = data
        elif kind is mapping_start or kind is sequence_start:
            if event.anchor is not None or event.tag is not None or len(parents) + 1 >= MAX_DEPTH:
                return None
            if _TAG_CHECK_NEEDED and (_SEQ_TAG != "tag:yaml.org,2002:seq" if kind is sequence_start
                                      else _MAP_TAG != "tag:yaml.org,2002:map"):
                return None
            node: Any = {} if kind is mapping_start else []
            if in_mapping:
                if key_path is None:
                    return None  # a list or a mapping as a key
                path = key_path
                top[path[-1]] = node
            elif top is not None:
                path = (*top_path, len(top))
                top.append(node)
            else:
                path = ()
                root = node
            mark = event.start_mark
            line = mark.line + 1
            values[path] = (line, mark.column + 1) if line <= last else (last, 1)
            parents.append((top, top_path, in_mapping))
            top, top_path, in_mapping, key_path = node, path, kind is mapping_start, None
        elif kind is mapping_end or kind is sequence_end:
            top, top_path, in_mapping = parents.pop()
            key_path = None
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                return None  # several documents: the careful path says so
        elif kind is yaml.AliasEvent:
            return None
    if root is _NO_ROOT:
        return None  # only comments: the careful path says so
    return Located(data=root, values=values, keys=keys)


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
            return None, [Problem(path, 1, 1, "file", "the file holds only comments: it needs `meta:` and its "
                                                      "records; restore them from git if they were deleted")]
        out = Located(data=None)
        out.data = _build(node, (), out)
        return _clamped(out, text), []
    except _Reject as rej:
        line, column = _pos(rej.mark)
        return None, [Problem(path, line, column, rej.field_name, rej.message)]
    except yaml.MarkedYAMLError as exc:
        # Why explain(): PyYAML's words ("expected <block end>") name the parser's state, not the editor's mistake.
        line, column, message = explain(text, exc)
        return None, [Problem(path, line, column, "yaml", message)]
    except yaml.reader.ReaderError as exc:
        line, column = _text_pos(text, exc.position)
        return None, [Problem(path, line, column, "file", _invisible(chr(exc.character)))]
    except yaml.YAMLError:
        return None, [Problem(path, 1, 1, "yaml", "YAML cannot read this file: check it against the schema in "
                                                  "schemas/, or restore it from git")]
    finally:
        if loader is not None:
            loader.dispose()

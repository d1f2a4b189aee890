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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

import yaml

from ..gcpause import gc_paused
from .errors import Problem
from .yaml_syntax import SECOND_DOCUMENT, explain

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
_DIRECTION = frozenset("\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Bidirectional marks, embeddings, overrides and isolates: they reorder what a reader sees (Trojan Source)."""
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff")
"""Zero-width characters: a required text of one of them looked filled in; a name with one matches nothing."""
_FORBIDDEN_CHARS = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff"
                              r"\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
"""C0/C1 controls, and characters PyYAML rejects or counts as line breaks (U+0085, U+2028, U+2029).

Why: PyYAML raised an unlocated ReaderError (escaping load_data) for C1 controls and
U+FFFE/U+FFFF, and read U+0085/U+2028/U+2029 as line breaks, so every later line
number in the file was off by one from what editors show.
"""
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ESCAPED_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff"
                              r"\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
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
    if char in _DIRECTION or char in _ZERO_WIDTH:
        kind = "text-direction" if char in _DIRECTION else "zero-width"
        return (f"an invisible {kind} character ({code}) is here, often pasted from a web page: it can make text "
                "read differently from what is stored, so delete it (retype the words around it if you cannot)")
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


class _Mark(Protocol):
    """Where an event starts. Why not `yaml.Mark`: libyaml's events carry `yaml._yaml.Mark`, a separate class."""

    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...


class _Reject(Exception):
    def __init__(self, mark: _Mark | None, field_name: str, message: str) -> None:
        self.mark = mark
        self.field_name = field_name
        self.message = message


def _pos(mark: _Mark | None) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _plain(text: str, mark: _Mark | None, name: str) -> Any:
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


def _last_line(text: str) -> int:
    """The number of the last line that is not empty, counting CRLF, CR and LF breaks as PyYAML does.

    Why counts, not a regex: finding every break of a 10 MB file took 0.08 s; this takes a quarter of that.
    """
    body = text.rstrip("\r\n")
    return body.count("\n") + body.count("\r") - body.count("\r\n") + 1


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
_LONGEST_WORD = max(len(word) for word in (*_NULL, *_BOOL, *_YAML11_BOOL))
_NUMBER_START = frozenset("+-.0123456789")
"""The characters every number pattern starts with: a longer plain scalar starting otherwise is text as written.

Why: `_plain` tries several patterns on each value; almost every plain value in the data is a word or a
sentence, and `lower()` never shortens a text, so none of them can match.
"""
_REFUSED = object()


@functools.lru_cache(maxsize=65_536)
def _plain_fast(text: str) -> Any:
    """`_plain` without a position, `_REFUSED` where it refuses (memoised: numbers and short words repeat)."""
    try:
        return _plain(text, None, "")
    except _Reject:
        return _REFUSED


def _events(text: str, fast: bool) -> Iterator[yaml.Event]:
    """The document's parse events, from libyaml (`fast`) or from PyYAML's own parser.

    Why both: libyaml is fast, and PyYAML's parser reports syntax errors with the marks `explain` reads.
    """
    loader = (_CLoader if fast and _CLoader is not None else yaml.SafeLoader)(text)
    try:
        yield from iter(loader.get_event, None)  # None after the stream's end
    finally:
        loader.dispose()


def _tag_message(tag: str) -> str:
    hint = " (to keep a number as text, put it in quotes instead)" if tag.endswith(":str") else ""
    return f"'{_tag(tag)}' is read as a YAML tag, which data files do not allow: remove it{hint}"


def _build(events: Iterable[yaml.Event], text: str) -> Located:
    """The single document in the events as plain data, with the position of every key and value.

    The one way the data files are read: anchors, aliases, tags, merge keys, duplicate and empty keys, deep
    nesting, escaped control characters and the plain values YAML versions read differently are refused here,
    each with its position. Why positions are kept inside the file: an empty value at the very end was placed
    on a line after the last one, which no editor can go to.
    """
    last = _last_line(text)

    def pos(mark: _Mark) -> tuple[int, int]:
        line = mark.line + 1
        return (line, mark.column + 1) if line <= last else (last, 1)

    check_every_value = _ESCAPED_CONTROL.search(text) is not None
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
        if kind is yaml.AliasEvent:
            alias = cast(yaml.AliasEvent, event)  # `kind` is its type, which mypy does not narrow by
            raise _Reject(alias.start_mark, "yaml",
                          f"'*{alias.anchor}' is read as a YAML alias (a reference to another value), which data "
                          "files do not allow: write the value out in full, or put a text starting with '*' in quotes")
        if kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Reject(event.start_mark, "yaml", SECOND_DOCUMENT)
            continue
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            top, top_path, in_mapping = parents.pop()
            key_path = None
            continue
        if not isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)):
            continue  # stream and document boundaries: nothing to read
        # Why the cast: a parser gives every event its start mark; the stubs allow None for events built by hand.
        mark = cast(_Mark, event.start_mark)
        is_key = in_mapping and key_path is None
        if event.anchor is not None:
            raise _Reject(mark, "yaml", f"'&{event.anchor}' is read as a YAML anchor, which data files do not allow: "
                                        "remove it, or put a text starting with '&' in quotes")
        if event.tag is not None:
            raise _Reject(mark, str(key_path[-1]) if in_mapping and key_path else "yaml", _tag_message(event.tag))
        if len(parents) >= MAX_DEPTH:
            raise _Reject(mark, "yaml", f"values are nested more than {MAX_DEPTH} levels deep: look for a '[' or "
                                        "'{' that is never closed")
        if isinstance(event, yaml.ScalarEvent):
            value = event.value
            if is_key:
                if not value.strip() or not value.isprintable():
                    # Why: an empty key (a bare `?`) or one with a line break broke the one-line problem format.
                    raise _Reject(mark, "key", f"the field name {value!r} is empty or holds a line break: write a "
                                               "plain word before the colon, like `night:`")
                if value == "<<":
                    raise _Reject(mark, value, "'<<' (a YAML merge key) is not allowed in data files: write each "
                                               "field out in full")
                if value in top:
                    first = keys[(*top_path, value)]
                    raise _Reject(mark, value, f"{value} is already given at line {first[0]}: keep one of the two "
                                               "lines and delete the other")
                key_path = (*top_path, value)
                keys[key_path] = pos(mark)
                continue
            path = key_path if key_path is not None else (*top_path, len(top)) if top is not None else ()
            name = str(path[-1]) if path else "document"
            if (check_every_value or event.style == '"') and (bad := _ESCAPED_CONTROL.search(value)):
                raise _Reject(mark, name, f"an escape in this text writes U+{ord(bad.group()):04X}, an invisible "
                                          "character data files do not allow: remove the escape (a backslash and "
                                          "what follows it)")
            if event.style or (len(value) > _LONGEST_WORD and value[0] not in _NUMBER_START):
                data: Any = value  # quoted or block scalars are always text
            else:
                data = _plain_fast(value)
                if data is _REFUSED:
                    _plain(value, mark, name)  # raises with the position and the message
        else:
            if is_key:
                raise _Reject(mark, "key", "a field name must be a plain word before the colon, not a list or a "
                                           "group: write `name: value`")
            path = key_path if key_path is not None else (*top_path, len(top)) if top is not None else ()
            data = {} if kind is yaml.MappingStartEvent else []
        values[path] = pos(mark)
        if key_path is not None:  # in a mapping, the value of that key (it is None in a list and outside both)
            top[key_path[-1]] = data
            key_path = None
        elif top is not None:
            top.append(data)
        else:
            root = data
        if kind is not yaml.ScalarEvent:
            parents.append((top, top_path, in_mapping))
            top, top_path, in_mapping, key_path = data, path, kind is yaml.MappingStartEvent, None
    if root is _NO_ROOT:
        raise _Reject(None, "file", "the file holds only comments: it needs `meta:` and its records; restore them "
                                    "from git if they were deleted")
    return Located(data=root, values=values, keys=keys)


_NO_ROOT = object()


def parse(text: str, path: str) -> tuple[Located | None, list[Problem]]:
    """Parse one YAML document strictly; return it with positions, or the problem.

    libyaml parses; when it reports a syntax error (or cannot take the text), PyYAML's own parser reads the file
    again, so that messages and marks are those `explain` turns into an editor's words.
    """
    with gc_paused():  # load_data pauses it too; this covers `parse` called on its own
        for fast in (True, False):
            try:
                return _build(_events(text, fast), text), []
            except _Reject as rej:
                line, column = _pos(rej.mark)
                return None, [Problem(path, line, column, rej.field_name, rej.message)]
            except (yaml.YAMLError, ValueError) as exc:
                if fast and _CLoader is not None:
                    continue
                if isinstance(exc, yaml.MarkedYAMLError):
                    # Why explain(): PyYAML's words ("expected <block end>") name the parser's state, not the
                    # editor's mistake.
                    line, column, message = explain(text, exc)
                    return None, [Problem(path, line, column, "yaml", message)]
                if isinstance(exc, yaml.reader.ReaderError):
                    line, column = _text_pos(text, exc.position)
                    return None, [Problem(path, line, column, "file", _invisible(chr(exc.character)))]
                break
    return None, [Problem(path, 1, 1, "yaml", "YAML cannot read this file: check it against the schema in "
                                              "schemas/, or restore it from git")]

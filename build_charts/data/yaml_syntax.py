"""PyYAML's syntax errors, explained from the editor's side: which line, what is wrong, how to fix it.

"mapping values are not allowed here" means, nine times in ten, a colon inside a text (put the text in
quotes) or a line indented one space too far; "expected <block end>" means lines that do not line up.
This module reads the lines around the error to tell those apart, and says what to type.
"""

from __future__ import annotations

import re
from collections import Counter

import yaml

Where = tuple[int, int, str]
"""1-based line and column, and the message."""

_KEY_VALUE = re.compile(r"^(?P<lead>\s*(?:-\s+)*)(?P<key>[^\s:#'\"\[{][^:#]*?):(?:\s+(?P<value>.*?))?\s*$")
_ODD_START = re.compile(r"cannot start any token")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _levels(line: str) -> list[tuple[int, str]]:
    """Where things start on a line: ('dash', col) for each '- ', then ('key', col) for what follows."""
    col = _indent(line)
    out = []
    while line[col:].startswith("- ") or line[col:] == "-":
        out.append((col, "dash"))
        col += 1
        col += _indent(line[col:])
    out.append((col, "key"))
    return out


def _opens_block(line: str) -> bool:
    """True when the line ends with a field name and ':' (its value follows on the next lines)."""
    text = line.split(" #", 1)[0].rstrip()
    return text.endswith(":") or bool(re.search(r":\s+[|>][-+0-9]*$", text))


def _previous(lines: list[str], index: int) -> int | None:
    for i in range(index - 1, -1, -1):
        if _content(lines[i]):
            return i
    return None


def _quoted(text: str) -> str:
    """`text` in the quotes that need no escapes, as an editor would type it."""
    if '"' in text and "'" not in text:
        return f"'{text}'"
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _plural(n: int) -> str:
    return f"{n} space{'s' if n != 1 else ''}"


def _usual_step(lines: list[str]) -> int:
    """How far this file indents a block under its field name (2 in every data file; counted, not assumed)."""
    steps: Counter[int] = Counter()
    for i, line in enumerate(lines[:-1]):
        if _content(line) and _opens_block(line) and _content(lines[i + 1]):
            step = _indent(lines[i + 1]) - _levels(line)[-1][0]
            if step > 0:
                steps[step] += 1
    return steps.most_common(1)[0][0] if steps else 2


def _first_line_off(lines: list[str], first: int) -> Where | None:
    """A message when line `first`, the first line of a block, is indented unlike every other block of the file.

    Why: the first line of a block sets its indentation, so YAML blames the second line, which is right.
    """
    opener = _previous(lines, first)
    if opener is None or not _opens_block(lines[opener]):
        return None
    want = _levels(lines[opener])[-1][0] + _usual_step(lines)
    have = _indent(lines[first])
    if have == want:
        return None
    name = lines[opener].strip().split(":", 1)[0].lstrip("- ")
    return (first + 1, have + 1, f"this line is indented {_plural(have)}, {abs(have - want)} "
                                 f"{'more' if have > want else 'fewer'} than the other lines under '{name}' on line "
                                 f"{opener + 1}: indent it by {_plural(want)}")


def indentation(lines: list[str], index: int) -> Where | None:
    """A message when line `index` (0-based) does not line up with the lines above it, else None."""
    line = lines[index]
    if not _content(line):
        return None
    prev = _previous(lines, index)
    if prev is None:
        return None
    mine = _indent(line)
    kind = "dash" if line.lstrip(" ").startswith("-") else "key"
    above = lines[prev]
    if _opens_block(above) and (mine > _levels(above)[-1][0] or (kind == "dash" and mine == _indent(above))):
        return None
    valid: dict[int, int] = {}
    limit = None
    for i in range(prev, -1, -1):
        if not _content(lines[i]) or (limit is not None and _indent(lines[i]) >= limit):
            continue
        for col, what in _levels(lines[i]):
            if what == kind and (limit is None or col < limit or i == prev):
                valid.setdefault(col, i)
        limit = _indent(lines[i])
        if limit == 0:
            break
    if mine in valid or not valid:
        return None
    # Ties go to the column where this field name stands elsewhere in the file, then to the line above, then left.
    key = line.strip().split(":", 1)[0]
    uses = Counter(_indent(other) for other in lines if other.strip().split(":", 1)[0] == key and other != line)
    target = min(valid, key=lambda col: (abs(col - mine), -uses[col], valid[col] != prev, col))
    if valid[target] == prev:
        blamed = _first_line_off(lines, prev)
        if blamed:
            return blamed
    ref = valid[target]
    diff = mine - target
    name = "the '-'" if kind == "dash" else f"'{lines[ref][target:].split(':', 1)[0].strip()}'"
    fix = f"indent this line by {_plural(target)}" if target else "start this line at the left edge, with no spaces"
    return (index + 1, mine + 1,
            f"this line is indented {_plural(mine)}, {abs(diff)} {'more' if diff > 0 else 'fewer'} than {name} on "
            f"line {ref + 1} above it: lines at the same level must line up, so {fix}")


def _colon_in_text(lines: list[str], index: int) -> Where | None:
    match = _KEY_VALUE.match(lines[index])
    if not match or not match.group("value"):
        return None
    value = match.group("value")
    column = match.start("value") + 1
    return (index + 1, column, f"the text of '{match.group('key').strip()}' contains ': ', which YAML reads as a "
                               f"new field: put the whole text in quotes, {match.group('key').strip()}: "
                               f"{_quoted(value)}")


def _text_after_value(lines: list[str], index: int) -> Where | None:
    """A quoted text or a [list] followed by more text on the same line."""
    match = _KEY_VALUE.match(lines[index])
    value = match.group("value") if match else None
    if not match or not value or value[0] not in "\"'[{":
        return None
    key, column = match.group("key").strip(), match.start("value") + 1
    opening = value[0]
    if opening in "[{":
        return (index + 1, column, f"there is text after the closing '{']' if opening == '[' else '}'}': if it is all "
                                   f"one text, put it in quotes, {key}: {_quoted(value)}")
    inner = value[1:-1] if len(value) > 1 and value.endswith(opening) else value
    if opening == '"':
        return (index + 1, column, f"the quoted text ends at the second '\"' and more text follows: to use '\"' "
                                   f"inside a text, put the text in single quotes, {key}: {_quoted(inner)}")
    fixed = f'"{inner}"' if '"' not in inner else "'" + inner.replace("'", "''") + "'"
    return (index + 1, column, f"the quoted text ends at the apostrophe and more text follows: put the text in "
                               f"double quotes instead, {key}: {fixed}")


def _unclosed_quote(lines: list[str], index: int) -> Where | None:
    """The nearest line above `index` whose double quotes do not pair up (the quote then ran on into this line)."""
    for i in range(index - 1, max(index - 10, -1), -1):
        match = _KEY_VALUE.match(lines[i])
        value = match.group("value") if match else None
        if match and value and value.startswith('"') and (value.count('"') - value.count('\\"')) % 2 == 1:
            return (i + 1, match.start("value") + 1, "this quoted text has no closing '\"': add '\"' at the end of "
                                                     "the text")
    return None


def _no_colon(lines: list[str], index: int) -> Where:
    line = lines[index]
    column = _indent(line) + 1
    glued = re.match(r"^(\s*(?:-\s+)*)([A-Za-z_][\w]*):(\S.*)$", line)
    if glued:
        return (index + 1, column, f"put a space after the colon: {glued.group(2)}: {glued.group(3)}")
    return (index + 1, column, "this line is not a `field: value` line: if it continues the text of the line above, "
                               "indent it further than that field's name; otherwise write the field name, a colon "
                               "and a space before the value")


def _value_start(lines: list[str], mark: yaml.Mark, what: str) -> Where:
    line = lines[mark.line] if mark.line < len(lines) else ""
    match = _KEY_VALUE.match(line)
    value = (match.group("value") if match else None) or line[mark.column:].strip()
    key = match.group("key").strip() if match else "field"
    return (mark.line + 1, mark.column + 1, f"a text cannot start with {what}: put the whole text in quotes, "
                                            f"{key}: {_quoted(value)}")


SECOND_DOCUMENT = "a line '---' here starts a second document, but a data file holds one: delete this line"


def explain(text: str, exc: yaml.MarkedYAMLError) -> Where:
    """Line, column and plain-words message for a PyYAML syntax error in `text`."""
    lines = [*re.split(r"\r\n|\r|\n", text), ""]  # line breaks as PyYAML counts them; one spare for end marks
    mark = exc.problem_mark or exc.context_mark
    context = exc.context_mark
    problem = exc.problem or ""
    if mark is None:
        return 1, 1, "YAML cannot read this file: check it against the schema in schemas/, or restore it from git"
    index = min(mark.line, len(lines) - 1)
    if mark.index >= len(text) and context is not None:
        mark, index = context, min(context.line, len(lines) - 1)  # an unclosed quote or bracket: where it opened
    line = lines[index]
    if "\t" in line[: _indent(line) + 1] or "'\\t'" in problem:
        tab = line.find("\t")
        return (index + 1, (tab if tab >= 0 else mark.column) + 1,
                "this line is indented with a tab: indent with spaces only (set the editor to insert spaces for Tab)")
    if "quoted scalar" in (exc.context or "") and "end of stream" in problem:
        quote = '\'"\'' if line[mark.column: mark.column + 1] == '"' else '"\'"'
        return (index + 1, mark.column + 1, f"this quoted text has no closing {quote}: add {quote} at the end of "
                                            "the text")
    if "unknown escape character" in problem:
        return (mark.line + 1, mark.column + 1,
                f"{problem.split()[-1].strip(chr(39))!r} after a backslash is not a valid escape in double quotes: "
                "write \\\\ for a backslash, or put the text in single quotes")
    if "another document" in problem:
        return (mark.line + 1, 1, SECOND_DOCUMENT)
    if "while scanning an alias" in (exc.context or ""):
        return _value_start(lines, context or mark, "'*' (YAML reads it as an alias)")
    if _ODD_START.search(problem):
        return _value_start(lines, mark, "'" + problem.split("'")[1] + "'")
    if problem in ("sequence entries are not allowed here", "mapping keys are not allowed here"):
        return _value_start(lines, mark, f"'{lines[index][mark.column: mark.column + 1]} '")
    if "flow sequence" in (exc.context or "") or "flow mapping" in (exc.context or ""):
        close = "]" if "sequence" in (exc.context or "") else "}"
        where = context or mark
        return (where.line + 1, where.column + 1, f"the {'list' if close == ']' else 'group'} opened here is not "
                                                  f"closed: add '{close}' at its end, and separate items with commas")
    if "<document start>" in problem:
        return (mark.line + 1, 1, "this line starts further left than the first line of the file: the top-level "
                                  "fields (meta and the records) start at the left edge, with no spaces before them")
    if problem.endswith("but found ':'") and line[mark.column:].startswith(":"):
        return (mark.line + 1, mark.column + 1, "there is no field name before this colon: write `name: value`")
    if "could not find expected ':'" in problem and context is not None:
        return indentation(lines, context.line) or _no_colon(lines, context.line)
    found = indentation(lines, index)
    if found:
        return found
    if problem == "mapping values are not allowed here":
        found = _colon_in_text(lines, index)
    elif "<scalar>" in problem:
        found = _unclosed_quote(lines, index) or _text_after_value(lines, index)
    # Why no PyYAML words here either: "expected <block end>" names the parser's state, not the editor's mistake.
    return found or (mark.line + 1, mark.column + 1,
                     "YAML cannot read this line: compare it with a correct line above, with `field: value` lined up "
                     "with the other fields, and any text holding ': ' or ' #' in quotes")

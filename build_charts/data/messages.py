"""Pydantic's validation errors, rewritten as one plain sentence that says what to write instead.

Editors are journalists: "Input should be a valid integer" does not tell them that `1,200` must be
written `1200`. Each error type an editor can reach has its own wording here; anything else falls
back to pydantic's text with the value shown, so no error is ever lost.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

_NUMBER_TEXT = re.compile(r"[-+]?\d+(\.\d+)?")
_THOUSANDS = re.compile(r"\d{1,3}(?:[,\u00a0\u202f ]\d{3})+")
_HEDGED = re.compile(r"(about|around|approximately|nearly|almost|~|at least|more than|over|>|up to|<)\s*"
                     r"(\d[\d,]*)\s*\+?", re.IGNORECASE)
_PLUS = re.compile(r"(\d[\d,]*)\s*\+")
_RANGE = re.compile(r"\d[\d,]*\s*(?:-|–|to)\s*\d[\d,]*")
_QUALIFIERS = {"about": "about", "around": "about", "approximately": "about", "nearly": "about", "almost": "about",
               "~": "about", "at least": "at least", "more than": "more than", "over": "more than", ">": "more than",
               "up to": "up to", "<": "up to"}
_URL_REASONS = {
    "empty host": "there is no site name after https://",
    "invalid international domain name": "the site name is not valid",
    "invalid domain character": "the site name contains a character that is not allowed (a space?)",
    "invalid port number": "the number after ':' in the site name is not valid",
}


def shown(value: Any) -> str:
    """A value as the editor typed it, shortened to fit on one line."""
    if isinstance(value, bool):
        text = str(value).lower()
    elif value is None:
        text = "nothing"
    else:
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def one_of(options: list[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    quoted = [f"'{o}'" for o in options]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def nearest(word: str, options: list[str] | set[str], *, cutoff: float = 0.8, n: int = 3) -> list[str]:
    """The options an editor most likely meant by `word` (a typo), closest first."""
    lowered = {o.lower(): o for o in options}
    if word.lower() in lowered:
        return [lowered[word.lower()]]
    return difflib.get_close_matches(word, sorted(options), n=n, cutoff=cutoff)


def _edits(a: str, b: str) -> int:
    """Typing slips between two words: letters added, dropped, changed or swapped with a neighbour."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i]
        for j, cb in enumerate(b, 1):
            cost = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cost = min(cost, previous2[j - 2] + 1)
            row.append(cost)
        previous2, previous = previous, row
    return previous[-1]


def near_ids(word: str, options: set[str], *, n: int = 3) -> list[str]:
    """Ids one or two slips away from `word` (a typo), closest first.

    Why not difflib: ids share their date part, so 'ap-2026-03-20' looked "close" to every AP page of March,
    and a new source got three unrelated suggestions.
    """
    limit = 1 if len(word) < 10 else 2
    scored = sorted((_edits(word, o), o) for o in options if abs(len(o) - len(word)) <= limit)
    return [o for d, o in scored if d <= limit][:n]


def _count(value: Any, *, whole: bool, hedged: bool) -> str:
    """A number was expected: say how to write `value` as one."""
    kind = "a whole number" if whole else "a number"
    if isinstance(value, bool) or value is None:
        return f"write {kind} in digits here, like 24 (got {shown(value)})"
    if isinstance(value, float):
        text = repr(value)
        hint = ""
        if re.fullmatch(r"\d{1,3}\.\d{3}", text):
            hint = f"; if you mean {text.replace('.', '')}, write it without the thousands separator"
        return f"a count is a whole number (got {text}){hint}; put a more exact figure in a note"
    if isinstance(value, (list, dict)):
        return f"write one number here, not a list or fields (got {shown(value)})"
    text = str(value).strip()
    if _NUMBER_TEXT.fullmatch(text):
        return f"remove the quotes: write {text} as a number, not as text"
    if _THOUSANDS.fullmatch(text):
        return f"write {re.sub(r'[^0-9]', '', text)} without thousands separators (got {shown(value)})"
    match = _HEDGED.fullmatch(text) or _PLUS.fullmatch(text)
    if match and hedged:
        word = match.group(1).lower() if match.re is _HEDGED else "more than"
        number = re.sub(r"[^0-9]", "", match.group(match.lastindex or 1))
        return (f"write the number alone, value: {number}, and the hedge on its own line, "
                f"qualifier: {_QUALIFIERS[word]} (got {shown(value)})")
    if _RANGE.fullmatch(text):
        return (f"write one number per entry: give each source's figure its own entry, or put the range in a "
                f"note (got {shown(value)})")
    return f"write {kind} in digits, like 24 (got {shown(value)})"


def _text(value: Any, *, optional: bool) -> str:
    """Text was expected: say how to make `value` text."""
    if value is None:
        rest = ", or delete the line (the field is optional)" if optional else ""
        return f"the text is missing: write it after the colon{rest}"
    if isinstance(value, dict):
        return "the text contains ': ', so it is read as a field name: put the whole text in quotes"
    if isinstance(value, list):
        return ("this is read as a list (it starts with '[' or '- '): write the text on the same line, and put it "
                "in quotes if it starts with '['")
    return f'this field is text: put the value in quotes to keep it as written, "{shown(value)}"'


def _slug(value: str) -> str:
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9-]+", "-", value.lower())).strip("-")[:80]


def _record_id(value: Any) -> str:
    if not isinstance(value, str):
        return f"write the id as lower-case letters, digits and hyphens, like ap-2025-12-06 (got {shown(value)})"
    slug = _slug(value)
    fix = f": write '{slug}'" if slug and slug != value else ""
    return (f"an id uses only lower-case letters, digits and hyphens, at most 80 characters (like "
            f"ap-2025-12-06){fix} (got {shown(value)})")


def _allowed(value: Any, expected: str) -> str:
    options = re.findall(r"'([^']*)'", expected) or [expected]
    close = nearest(str(value), options) if isinstance(value, str) else []
    if close and close[0].lower() == str(value).lower():
        return f"write '{close[0]}', spelled exactly so (got {shown(value)})"
    if close:
        return f"did you mean '{close[0]}'? Write one of {one_of(options)} (got {shown(value)})"
    return f"write one of {one_of(options)} (got {shown(value)})"


def _list(value: Any, name: str) -> str:
    """A list was expected: a list of source ids, of texts, or of a figure's entries."""
    ids, texts = name == "sources", name in ("regions", "participants")
    if value is None:
        if ids:
            return "the list is empty: write the source ids after the colon, e.g. [ap-2025-12-06]"
        if texts:
            return "the list is empty: write it after the colon, e.g. [Kyiv, Lviv]"
        return "this has no entries: add them below it, indented, each starting with '- ' (e.g. - value: 24)"
    if isinstance(value, dict):
        return "write this as a list: start each entry with '- ' on its own line"
    if ids or texts:
        # Ids never hold spaces, so ids on several lines become the list they meant; texts keep their words.
        text = str(value).lower() if isinstance(value, bool) else (", " if ids else " ").join(str(value).split())
        if text == "":
            return _list(None, name)
        return f"write a list, in brackets: [{text}]"
    first = f"value: {value}" if isinstance(value, (int, float)) else "value: ..."
    return (f"write this as a list of entries, one per source: on the next line, indented, start with "
            f"'- {first}' (got {shown(value)})")


def _url(message: str) -> str:
    reason = message.split(",", 1)[1].strip() if "," in message else ""
    why = _URL_REASONS.get(reason, "it is not a complete web address")
    return f"{why}: copy the page's full address from the browser's address bar, starting with https://"


def explain(err: ErrorDetails, owner: type[BaseModel] | None) -> str:
    """One plain sentence for one pydantic error; `owner` is the model whose field failed (for hints)."""
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    loc = [p for p in err["loc"] if isinstance(p, str)]
    name = loc[-1] if loc else ""
    info = owner.model_fields.get(name) if owner is not None and name else None
    optional = info is not None and not info.is_required()
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    if kind in ("int_type", "int_parsing", "int_from_float", "float_type", "float_parsing", "finite_number"):
        hedged = owner is not None and "qualifier" in owner.model_fields
        return _count(value, whole=kind.startswith("int"), hedged=hedged)
    if kind == "greater_than_equal" and ctx.get("ge") == 0:
        return f"a count cannot be negative (got {shown(value)}): remove the minus sign, or check the figure"
    if kind in ("greater_than_equal", "greater_than"):
        return f"write a number of {ctx.get('ge', ctx.get('gt'))} or more (got {shown(value)})"
    if kind == "less_than_equal" and ctx.get("le") == 2**53:
        return (f"this count ({shown(value)}) is larger than any real figure can be, and larger than the downloads "
                "can keep exactly: check for extra digits")
    if kind in ("less_than_equal", "less_than"):
        return f"write a number of {ctx.get('le', ctx.get('lt'))} or less (got {shown(value)})"
    if kind == "string_type":
        return _text(value, optional=optional)
    if kind == "string_too_short":
        rest = ", or delete the line (the field is optional)" if optional else ""
        return f"the text is empty: write it{rest}"
    if kind == "string_too_long":
        length = len(str(value).strip())
        limit = ctx.get("max_length", 0)
        return f"the text has {length} characters; the limit here is {limit}: shorten it by {length - limit}"
    if kind == "string_pattern_mismatch":
        if "a-z0-9" in str(ctx.get("pattern", "")):
            return _record_id(value)
        return f"write it in the form {ctx.get('pattern')} (got {shown(value)})"
    if kind == "literal_error":
        return _allowed(value, str(ctx.get("expected", "")))
    if kind in ("list_type", "tuple_type"):
        return _list(value, name)
    if kind == "too_short":
        if name == "sources":
            return "cite at least one source: write its id from sources.yaml in the brackets"
        return "the list is empty: add at least one entry"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        if isinstance(value, list):
            return "expected fields here (`name: value` lines), not a list: remove the '- ' or the brackets"
        if value is None:
            return "this is empty: add its fields on the lines below, indented"
        return f"expected fields here (`name: value` lines, indented below), not a single value (got {shown(value)})"
    if kind.startswith("url"):
        return _url(str(err["msg"]))
    if kind == "bool_type":
        return f"write true or false (got {shown(value)})"
    text = str(err["msg"]).replace("Input should be", "this should be")
    return f"{text} (got {shown(value)})"

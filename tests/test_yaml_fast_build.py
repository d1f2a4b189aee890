"""The one-pass fast reader (`strict_yaml._fast_parse`) gives exactly what the node route it replaced gave.

The node route is kept here as the oracle: PyYAML nodes built from libyaml's events (`_old_nodes`), walked by
`_build` and clamped, with the old event filter (`_old_fast_parse`). Results are compared typed (True is not
1, 1.0 is not 1) and in order, positions of values and keys included, and None (the careful path reads the
file) must come in exactly the same cases. The oracle itself is checked against PyYAML's own composer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from test_property import FIXTURES, SETTINGS, documents, filled_templates

from build_charts.data import strict_yaml
from build_charts.data.strict_yaml import Located

TESTS = Path(__file__).resolve().parent
FILES = sorted({*(TESTS.parent / "data").glob("*.yaml"), *(TESTS / "fixtures").rglob("*.yaml"),
                *(TESTS / "broken").glob("*.yaml")})


# --- the oracle: the node route as it was -------------------------------------------------------------


def _old_nodes(events: list[yaml.Event]) -> yaml.Node | None:
    """The node tree PyYAML's composer builds from these events (the removed `strict_yaml._nodes`)."""
    root: yaml.Node | None = None
    stack: list[yaml.Node] = []
    keys: list[yaml.Node | None] = []
    documents = 0

    def attach(node: yaml.Node) -> None:
        nonlocal root
        if not stack:
            root = node
        elif isinstance(stack[-1], yaml.SequenceNode):
            stack[-1].value.append(node)
        elif keys[-1] is None:
            keys[-1] = node
        else:
            stack[-1].value.append((keys[-1], node))
            keys[-1] = None

    for event in events:
        if isinstance(event, yaml.ScalarEvent):
            attach(yaml.ScalarNode(strict_yaml._resolved(event.value, tuple(event.implicit)), event.value,
                                   event.start_mark, event.end_mark, style=event.style))
        elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            seq = isinstance(event, yaml.SequenceStartEvent)
            node: yaml.Node = (yaml.SequenceNode if seq else yaml.MappingNode)(
                strict_yaml._SEQ_TAG if seq else strict_yaml._MAP_TAG, [], event.start_mark, None,
                flow_style=event.flow_style)
            attach(node)
            stack.append(node)
            keys.append(None)
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            stack.pop().end_mark = event.end_mark
            keys.pop()
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                return None
    return root


def _old_events(text: str) -> list[yaml.Event] | None:
    """The events the old fast path kept, or None where its filter gave up."""
    depth = 0
    events = []
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None \
                or getattr(event, "tag", None) is not None:
            return None
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth >= strict_yaml.MAX_DEPTH:
                return None
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        events.append(event)
    return events


def _old_fast_parse(text: str) -> Located | None:
    """The fast path before the one-pass builder: events, then nodes, then `_build`, then `_clamped`."""
    try:
        events = _old_events(text)
        node = _old_nodes(events) if events is not None else None
        if node is None:
            return None
        out = Located(data=None)
        out.data = strict_yaml._build(node, (), out)
        return strict_yaml._clamped(out, text)
    except (strict_yaml._Reject, yaml.YAMLError, ValueError):
        return None


# --- comparison ---------------------------------------------------------------------------------------


def _typed(value: Any) -> Any:
    """A value as comparable data that keeps types and order: `True`, `1` and `1.0` all differ."""
    if isinstance(value, dict):
        return ("dict", [(key, _typed(item)) for key, item in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(item) for item in value])
    return (type(value).__name__, repr(value))


def _summary(located: Located | None) -> Any:
    if located is None:
        return None
    return (_typed(located.data), list(located.values.items()), list(located.keys.items()))


def _same_as_old(text: str) -> Located | None:
    """The new fast result equals the old one, None included; returns the new one."""
    new = strict_yaml._fast_parse(text)
    assert _summary(new) == _summary(_old_fast_parse(text))
    return new


def _same_as_careful(text: str) -> None:
    """Where the fast path reads a file, PyYAML's pure-Python composer and `_build` read it the same.

    Only for the data files: on some odd documents the two readers place an empty value differently (in
    `{a, b: }` libyaml puts b's empty value one column further), as the node route did before.
    """
    fast = strict_yaml._fast_parse(text)
    if fast is None:
        return
    loader = strict_yaml._Composer(text)
    try:
        node = loader.get_single_node()
    finally:
        loader.dispose()
    out = Located(data=None)
    out.data = strict_yaml._build(node, (), out)
    assert _summary(strict_yaml._clamped(out, text)) == _summary(fast)


EDGE_CASES = [
    "a: 1\n", "- 1\n- 2\n", "just text\n", "'quoted root'\n", "", "# only a comment\n", "---\n", "--- \n...\n",
    "a: 1\n---\nb: 2\n", "---\na: 1\n...\n", "a: 1\n...\n---\n", "%YAML 1.2\n---\na: 1\n",
    "a: &x 1\nb: *x\n", "a: *x\n", "a: !!str 12\n", "a: !local x\n", "!!map {a: 1}\n", "a: !!seq [1]\n", "&r [1]\n",
    "a:\n", "? a\n", "a: 1\n? b\n", "a: 1\n? b\n\n\n", "a: 1\n? b\r\n\r\n", "? a\n? b\n", "? \n: 1\n", ": 1\n",
    "a: 1\na: 2\n", "a: 1\nb: {a: 2}\nb: 3\n", "'a': 1\na: 2\n", "<<: {a: 1}\n", "'<<': 1\n", "'': 1\n",
    "' ': 1\n", '"a\\nb": 1\n', '"a\\tb": 1\n', "[a]: 1\n", "? [a]\n: 1\n", "{a: 1}: 2\n", "? - a\n: 1\n",
    "a: [1, [2, [3]]]\n", "a: {b: {c: [d, {e: f}]}}\n", "[a: 1, b: 2]\n", "{a, b: }\n", "[]\n", "{}\n",
    "a: yes\n", "a: No\n", "a: ON\n", "a: 'yes'\n", "yes: 1\n", "a: true\nb: FALSE\nc: ~\nd: null\ne: Null\n",
    "a: 012\n", "a: -0\n", "a: +7\n", "a: 0\n", "a: 1.10\n", "a: 1.200\n", "a: 1.5\n", "a: -1.5\n", "a: 0x1f\n",
    "a: 0o17\n", "a: 1e3\n", "a: 1_000\n", "a: .inf\n", "a: -.inf\n", "a: .nan\n", "a: .5\n", "a: 5.\n",
    f"a: {'9' * 30}\n", f"a: {'9' * 31}\n", f"a: {'9' * 5000}\n", "a: 2025-02-30\n", "a: 2022-10-10T03:00:00Z\n",
    "a: =\n", "a: '!'\n", "a: <<\n", "a: \u212a\n", "a: \u0130\u0130\u0130\u0130\u0130\u0130\n", "a: Türkiye\n",
    "a: вночі\n", "a: ⚡🚀\n", "a: |\n  x\n  y\n", "a: >-\n  x\n  y\n", "a: |+2\n   x\n\n", "a: 'it''s'\n",
    'a: "\\0"\n', 'a: "\\a"\n', 'a: "\\x85"\n', 'a: "\\N"\n', 'a: "\\L"\n', 'a: "\\P"\n', 'a: "\\u2028"\n',
    'a: "\\ud800"\n', 'a: "\\U0001F600"\n', 'a: "a\\nb"\n', 'a: "\\e"\n', 'a: "\\_"\n', 'a: "x\\\n  y"\n',
    "a: x\u2028y\n", "a: x\x85y\n", "a: 'x\u2029y'\n", "a: |\n  x\u2028y\n", "a\u2028b: 1\n", "a: 1\u2028b: 2\n",
    "a: x\ud800\n", "a: \x07\n", "a: \ufeffx\n", "\ufeffa: 1\n", "a: 1\r\nb: 2\r\n", "a: 1\rb: 2\r", "a:\tx\n",
    "a: [\n", "a: 'unclosed\n", "a: {b: [c\n", "- a\nb: 1\n", "a: b: c\n", "a:\n  - 1\n  b: 2\n", "\t- a\n",
    "a:\n- 1\n- 2\nb: 3\n", "- - a\n  - b\n- c\n", "- a: 1\n  b: 2\n- a: 3\n",
]


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth + "\n"


# --- tests --------------------------------------------------------------------------------------------


def test_fast_build_equals_node_route_on_every_data_fixture_and_broken_file():
    assert len(FILES) > 100 and any(path.parent == FIXTURES for path in FILES)
    read = 0
    for path in FILES:
        text = path.read_text(encoding="utf-8", errors="replace")
        read += _same_as_old(text) is not None
    assert read > 20  # the files that validate are read by the fast path, not only refused


@pytest.mark.parametrize("text", EDGE_CASES + [_nested(n) for n in (strict_yaml.MAX_DEPTH - 2,
                                                                       strict_yaml.MAX_DEPTH - 1,
                                                                       strict_yaml.MAX_DEPTH, 200)])
def test_fast_build_equals_node_route_on_edge_cases(text):
    _same_as_old(text)


@SETTINGS
@given(case=filled_templates())
def test_fast_build_equals_node_route_on_random_templates(case):
    _, raw = case
    text = raw.decode("utf-8", errors="replace")
    _same_as_old(text)


@settings(SETTINGS, max_examples=300)
@given(text=documents)
def test_fast_build_equals_node_route_on_random_yaml(text):
    _same_as_old(text)


def test_fast_build_equals_careful_composer_on_every_file():
    for path in FILES:
        _same_as_careful(path.read_text(encoding="utf-8", errors="replace"))


def test_pyyaml_resolver_gives_no_tag_the_fast_path_must_check():
    """Why the fast path resolves no tags: every tag PyYAML's resolver gives an untagged node is accepted."""
    assert strict_yaml._TAG_CHECK_NEEDED is False


def test_tag_checking_branch_equals_node_route(monkeypatch):
    """The branch taken were the resolver ever extended gives the same results."""
    monkeypatch.setattr(strict_yaml, "_TAG_CHECK_NEEDED", True)
    for text in [*EDGE_CASES, *(path.read_text(encoding="utf-8", errors="replace") for path in FILES[:40])]:
        _same_as_old(text)


@settings(SETTINGS, max_examples=500)
@given(text=st.text(min_size=strict_yaml._LONGEST_WORD + 1, max_size=12).filter(
    lambda t: t[0] not in strict_yaml._NUMBER_START))
def test_long_plain_words_not_starting_like_a_number_are_text(text):
    """The shortcut `_from_events` takes for most plain values: `_plain` gives them back as written."""
    assert strict_yaml._plain(text, None, "") is text


@settings(SETTINGS, max_examples=500)
@given(text=st.one_of(st.text(max_size=8), st.from_regex(r"[-+]?[0-9._xoeE]{0,8}(inf|nan)?", fullmatch=True)))
def test_memoised_plain_values_equal_plain(text):
    try:
        expected: Any = strict_yaml._plain(text, None, "")
    except strict_yaml._Reject:
        expected = strict_yaml._REFUSED
    assert _typed(strict_yaml._plain_fast(text)) == _typed(expected)


# --- the oracle's own check: its nodes are PyYAML's composer's ---------------------------------------


def _tree(node: yaml.Node) -> object:
    """A composed node as comparable data: kind, tag, value, style and positions, recursively."""
    mark = (node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style or None, mark)
    if isinstance(node, yaml.SequenceNode):
        return ("seq", node.tag, mark, [_tree(child) for child in node.value])
    return ("map", node.tag, mark, [(_tree(k), _tree(v)) for k, v in node.value])


def _oracle_tree_is_libyamls(text: str) -> None:
    """Where the oracle builds a tree, it equals the one PyYAML's own composer builds."""
    try:
        events = list(yaml.parse(text, Loader=yaml.CSafeLoader))
    except yaml.YAMLError:
        return
    if any(isinstance(e, yaml.AliasEvent) or getattr(e, "anchor", None) is not None
           or getattr(e, "tag", None) is not None for e in events):
        return  # the fast path refuses these; the careful path reads them
    ours = _old_nodes(events)
    try:
        theirs = yaml.compose(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        assert ours is None, "libyaml refuses a document the oracle accepted"
        return
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert _tree(ours) == _tree(theirs)


def test_oracle_tree_equals_libyaml_on_every_file():
    for path in FILES:
        _oracle_tree_is_libyamls(path.read_text(encoding="utf-8", errors="replace"))


@SETTINGS
@given(case=filled_templates())
def test_oracle_tree_equals_libyaml_on_random_documents(case):
    _, raw = case
    _oracle_tree_is_libyamls(raw.decode("utf-8", errors="replace"))

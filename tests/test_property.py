"""Property tests: whatever bytes an editor saves, validation ends in located problems, never a crash.

(a) Random YAML-ish text and random bytes go through `strict_yaml.decode` + `parse` and through `load_data` on a
    folder holding that one file. (b) Random mutations of the fixture files (`tests/fixtures/data`, a frozen copy
    of the data) go through `load_data` on a copy of the fixture folder. Either the data validates, or DataError
    lists problems that each carry a line and column inside the file, and a message that says what to do. Any
    other exception type fails the test.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from build_charts import DataError, Problem, load_data
from build_charts.data.models import DATASET_MODELS
from build_charts.data.strict_yaml import decode, parse

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "data"
DATASETS = sorted(DATASET_MODELS)
_BREAKS = re.compile(r"\r\n|\r|\n")

SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)


def line_count(raw: bytes) -> int:
    """Lines in the file as PyYAML and editors count them (CRLF, CR or LF breaks)."""
    text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    return len(_BREAKS.findall(text)) + 1


def assert_located(problems: list[Problem], files: dict[str, bytes]) -> None:
    """Every problem has a path, a field, a message, and a line and column that exist in its file."""
    assert problems, "a rejection must carry at least one problem"
    for problem in problems:
        assert isinstance(problem, Problem)
        assert isinstance(problem.line, int) and problem.line >= 1, problem
        assert isinstance(problem.column, int) and problem.column >= 1, problem
        assert isinstance(problem.field, str) and problem.field.strip(), problem
        assert isinstance(problem.message, str) and problem.message.strip(), problem
        assert "\n" not in problem.field + problem.message, problem  # one problem, one output line
        # Plain words only: PyYAML's and pydantic's own phrases never reach an editor.
        assert not RAW_PHRASES.search(problem.message), problem
        if problem.path in files:
            assert problem.line <= line_count(files[problem.path]), (problem, line_count(files[problem.path]))


RAW_PHRASES = re.compile(r"Input should be|<block end>|<block mapping start>|mapping values are not allowed|"
                         r"while scanning|while parsing|could not find expected|String should|List should|"
                         r"Value error|Field required|syntax error")


def validate(folder: Path, files: dict[str, bytes]) -> None:
    """load_data either succeeds or raises DataError with located problems; nothing else may escape."""
    try:
        load_data(folder)
    except DataError as exc:
        assert_located(exc.problems, files)


# --- (a) random YAML-ish documents ----------------------------------------------------------------------

FIELD_NAMES = sorted({name for model in DATASET_MODELS.values() for name in model.model_fields}
                     | {"id", "date", "start", "end", "value", "sources", "title", "as_of", "url", "night"})

TRICKY = [
    "yes", "no", "On", "off", "y", "N", "~", "null", "true", "False", "012", "-0", "+7", "1.10", "1.5", "0x1f", "0o17",
    "1e3", "1_000", ".inf", "-.inf", ".nan", "2025-02-30", "2025-12-06", "25-12-06", "2022-10-10T03:00:00Z",
    "&a x", "*a", "&b", "!!str 12", "!!int x", "!!python/object:os.system", "!local x", "! x", "[", "]", "{", "}",
    "[a, b]", "{a: 1}", "'", '"', "'unclosed", '"unclosed', "'it''s'", '"esc \\x41 \\u263A \\q"', "|", ">-", "|+2",
    "- ", "#", "# comment", "%YAML 1.1", "%TAG ! tag:x,2000:", "---", "...", "@x", "`x", "<<", "? ", ": ",
    "https://example.org", "http://example.org", "javascript:alert(1)", "<script>alert(1)</script>", "é", "Türkiye",
    "вночі", "⚡🚀", "\u2028", "\x85", "\x07", "\ufeff", "\ufffe", "9" * 40, "9" * 5000, "x" * 700,
    '"\\0"', '"\\a"', '"\\x85"', '"\\u2028"', '"\\ud800"', '"\\U0001F600"', '"a\\nb"', "[[[[[[[[", "{a: [b: {c",
]

scalars = st.one_of(
    st.sampled_from(TRICKY),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats().map(repr),
    st.text(max_size=40),
    st.from_regex(r"[0-9]{1,4}-[0-9]{1,2}-[0-9]{1,2}", fullmatch=True),
)
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.sampled_from(["<<", "? a", "[k]", "'q'", '"k"', "1", "- a"]),
                 st.text(max_size=12))
indents = st.one_of(st.integers(min_value=0, max_value=10).map(lambda n: " " * n),
                    st.sampled_from(["\t", " \t", "\t  ", "  - ", "- - "]))
separators = st.sampled_from([": ", ":", " : ", ": - ", ": [", ": {", " ", ":\n  - ", ":\n    "])
lines = st.tuples(indents, keys, separators, scalars).map(lambda parts: "".join(parts))
documents = st.lists(lines, max_size=25).map("\n".join)


@st.composite
def raw_files(draw: st.DrawFn) -> bytes:
    """YAML-ish text, raw bytes, or YAML-ish text with bytes spliced in, with or without a BOM."""
    kind = draw(st.sampled_from(["text", "bytes", "spliced"]))
    if kind == "bytes":
        raw = draw(st.binary(max_size=300))
    else:
        raw = draw(documents).encode("utf-8")
        if kind == "spliced" and raw:
            at = draw(st.integers(min_value=0, max_value=len(raw)))
            raw = raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    return raw


def _template(dataset: str) -> str:
    """The fixture file cut after its first record: meta plus one record, valid on its own."""
    text = (FIXTURES / f"{dataset}.yaml").read_text(encoding="utf-8")
    key = "\n- id: " if dataset == "sources" else "\n  - id: "
    first = text.index(key)
    second = text.find(key, first + 1)
    cut = text if second < 0 else text[: second + 1]
    return re.sub(r"(?m)^    superseded_by: .*\n", "", cut)  # it names a later record, which the cut left out


TEMPLATES = {name: _template(name) for name in DATASETS}
_VALUE = re.compile(r"^(\s*(?:- )?[A-Za-z_]+: )(.*)$")


@st.composite
def filled_templates(draw: st.DrawFn) -> tuple[str, bytes]:
    """A real meta + first record whose values are replaced, some of them, by tricky scalars."""
    dataset = draw(st.sampled_from(DATASETS))
    out = []
    for line in TEMPLATES[dataset].split("\n"):
        match = _VALUE.match(line)
        if match and draw(st.integers(min_value=0, max_value=5)) == 0:
            line = match.group(1) + draw(scalars)
        out.append(line)
    return dataset, "\n".join(out).encode("utf-8")


def _decode_and_parse(raw: bytes) -> None:
    text, problems = decode(raw, "file.yaml")
    if text is None:
        assert_located(problems, {"file.yaml": raw})
        return
    assert problems == []
    located, problems = parse(text, "file.yaml")
    if located is None:
        assert_located(problems, {"file.yaml": raw})
    else:
        assert problems == []
        for line, column in [*located.values.values(), *located.keys.values()]:
            assert 1 <= line <= line_count(raw) and column >= 1


def _single_file(dataset: str, raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / f"{dataset}.yaml"
        file.write_bytes(raw)
        with pytest.raises(DataError) as caught:  # the other datasets are missing, so it never validates
            load_data(tmp)
        assert_located(caught.value.problems, {str(file): raw})


@settings(SETTINGS, max_examples=100)
@given(raw=raw_files(), dataset=st.sampled_from(DATASETS))
def test_random_documents_give_located_problems(raw, dataset):
    _decode_and_parse(raw)
    _single_file(dataset, raw)


@settings(SETTINGS, max_examples=80)
@given(case=filled_templates())
def test_templates_with_random_values_give_located_problems(case):
    dataset, raw = case
    _decode_and_parse(raw)
    _single_file(dataset, raw)


@pytest.mark.parametrize("dataset", DATASETS)
def test_templates_alone_are_valid(tmp_path, dataset):
    """Guard for the template strategy: unmodified, each template raises only 'missing file' problems."""
    (tmp_path / f"{dataset}.yaml").write_text(TEMPLATES[dataset], encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_data(tmp_path)
    own = [p for p in caught.value.problems if p.path == str(tmp_path / f"{dataset}.yaml")]
    assert own == [], own
    assert all(p.message.endswith(".yaml is missing: restore it (git checkout -- data/"
                                  f"{Path(p.path).name}); the site needs every dataset")
               for p in caught.value.problems), caught.value.problems


# --- (b) random mutations of the fixture files ----------------------------------------------------------


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One copy of the fixture data for the whole module; each example edits one file and restores it."""
    folder = tmp_path_factory.mktemp("mutations") / "data"
    shutil.copytree(FIXTURES, folder)
    yield folder


ORIGINALS = {name: (FIXTURES / f"{name}.yaml").read_bytes() for name in DATASETS}


@st.composite
def mutations(draw: st.DrawFn) -> tuple[str, str, bytes]:
    """(dataset, description, mutated bytes) for one random edit of one fixture file."""
    dataset = draw(st.sampled_from(DATASETS))
    raw = ORIGINALS[dataset]
    lines = raw.split(b"\n")
    kind = draw(st.sampled_from(["delete", "duplicate", "swap", "insert", "truncate", "indent", "dedent"]))
    i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
    if kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "swap":
        j = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "indent":
        lines[i] = b" " * draw(st.integers(min_value=1, max_value=3)) + lines[i]
    elif kind == "dedent":
        lines[i] = lines[i][draw(st.integers(min_value=1, max_value=3)):]
    if kind in ("delete", "duplicate", "swap", "indent", "dedent"):
        return dataset, f"{kind} line {i + 1}", b"\n".join(lines)
    at = draw(st.integers(min_value=0, max_value=len(raw)))
    if kind == "truncate":
        return dataset, f"truncate at byte {at}", raw[:at]
    chars = draw(st.one_of(st.text(min_size=1, max_size=6).map(lambda s: s.encode("utf-8")),
                           st.sampled_from([b":", b"- ", b"\t", b"'", b'"', b"&a ", b"*a", b"#", b"\n", b"\r",
                                            b"[", b"{", b"\xe9", b"\x00", b"\xef\xbb\xbf"]),
                           st.binary(min_size=1, max_size=4)))
    return dataset, f"insert {chars!r} at byte {at}", raw[:at] + chars + raw[at:]


@settings(SETTINGS, max_examples=60)
@given(case=mutations())
def test_mutated_fixture_files_give_located_problems(workspace, case):
    dataset, _description, raw = case
    target = workspace / f"{dataset}.yaml"
    target.write_bytes(raw)
    try:
        validate(workspace, {str(target): raw})
    finally:
        target.write_bytes(ORIGINALS[dataset])


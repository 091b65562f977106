"""Broken copies of the shipped dataset: accepted, or reported line by line; never a damaged database.

Each example damages the shipped YAML in one way (a key deleted, a value of the wrong type, a
record copied with its id, bad indentation, a truncated file, bytes that are not UTF-8) and
runs `lstui build` on it in-process, over a copy of a database built from the intact file.
Whatever the damage, the command either succeeds (the change happened to leave valid data)
or prints one `PATH:LINE:COL: FIELD: MESSAGE` line per problem and a closing count, and exits
with 2; a failed build leaves the old database byte for byte and no temporary file behind.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import io
import random
import re
import shutil
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lstui.cli import main

# The C loader and emitter read and write exactly what yaml.safe_load and yaml.safe_dump do,
# several times faster.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

SUMMARY = re.compile(r"(?P<count>[1-9][0-9]*) problems? found; nothing was built")

# Line breaks and control characters are left out of generated text: a message that quotes
# such a value is split over two lines or carries raw control codes to the terminal, a defect
# of its own that these tests do not look for.
PLAIN_TEXT = st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=12)
# Integers stay within 64 bits: one too large for a float, in a number field, ends in an
# internal error, a defect of its own that these tests do not look for.
SCALARS = {
    "null": st.none(),
    "bool": st.booleans(),
    "int": st.integers(min_value=-(2**63), max_value=2**63 - 1),
    "float": st.floats(),
    "text": PLAIN_TEXT,
    "date": st.dates(),
}
ANY_SCALAR = st.one_of(*SCALARS.values())
REPLACEMENTS = {
    **SCALARS,
    "list": st.lists(ANY_SCALAR, max_size=3),
    "mapping": st.dictionaries(st.from_regex(r"[a-z_]{1,10}", fullmatch=True), ANY_SCALAR, max_size=3),
}

# Byte sequences that are not valid UTF-8 wherever they are inserted: stray continuation
# bytes, bytes UTF-8 never uses, an overlong form, a surrogate, and characters cut short.
INVALID_UTF8 = [b"\x80", b"\xbf", b"\xfe", b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf5\x80\x80\x80",
                b"\xc3", b"\xe4\xb8", b"\xf0\x9f\x98"]

MUTATIONS = settings(derandomize=True, database=None, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

TreePath = tuple  # the keys and list indices leading from the document's root to a node


@dataclass
class Outcome:
    code: int
    out: str
    err: str


@dataclass
class Verdict:
    """How a command ended: exit code, stderr, the problems listed as (line, col, field, message),
    and the number of sourced records built."""

    code: int
    err: str
    problems: list[tuple[int, int, str, str]]
    records: int = 0


class Shipped:
    """The shipped YAML (bytes and parsed), the database built from it, and the places to damage."""

    def __init__(self, raw: bytes, db_bytes: bytes):
        self.raw = raw
        self.db_bytes = db_bytes
        self.tree = yaml.load(raw, Loader=SafeLoader)
        # Grouped by the shape of their path (list indices left out), so that each kind of
        # field, at any depth, is as likely to be drawn as any other.
        self.keys = grouped((path, key) for path, node in walk(self.tree) if isinstance(node, dict) for key in node)
        self.values = grouped((path[:-1], path[-1]) for path, _ in walk(self.tree) if path)
        self.records = grouped((path[:-1], path[-1]) for path, node in walk(self.tree)
                               if path and isinstance(path[-1], int) and isinstance(node, dict) and "id" in node)
        self.lines = raw.split(b"\n")
        self.line_starts = [0] + [m.end() for m in re.finditer(b"\n", raw)]
        # Lines to damage: every line with text for cuts and inserted bytes, lines holding YAML
        # (not blank, not only a comment) for indentation.
        self.text_lines = scattered(n for n, line in enumerate(self.lines) if line)
        self.yaml_lines = scattered(n for n, line in enumerate(self.lines)
                                    if line.strip() and not line.lstrip().startswith(b"#"))

    def __repr__(self) -> str:  # shown in Hypothesis' reports: the bytes themselves would be megabytes
        return f"<shipped data: {len(self.raw):,} bytes of YAML, {len(self.db_bytes):,} bytes of database>"


# ------------------------------------------------------------------------------------------
# Helpers


def run_cli(*args: str) -> Outcome:
    """`lstui ARGS` in this process, its output captured (capsys does not mix with @given)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return Outcome(code, out.getvalue(), err.getvalue())


def walk(node, path: TreePath = ()) -> Iterator[tuple[TreePath, object]]:
    """Every node of the parsed YAML with the path leading to it, the root first."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*path, index))


def shape(path: TreePath) -> str:
    """A path with its list indices left out: ('targets', 3, 'value') -> 'targets[].value'."""
    return "".join("[]" if isinstance(step, int) else f".{step}" for step in path).lstrip(".") or "(root)"


def grouped(places) -> dict[str, list[tuple[TreePath, object]]]:
    """(parent path, key or index) pairs, grouped by the shape of the full path."""
    groups: dict[str, list] = defaultdict(list)
    for parent, step in places:
        groups[shape((*parent, step))].append((parent, step))
    return dict(sorted(groups.items()))


def scattered(items) -> list:
    """The items in a fixed shuffled order: Hypothesis favours the first items of a list it samples
    from, and the shuffle keeps that from favouring the start of the file."""
    items = list(items)
    random.Random(0).shuffle(items)
    return items


def draw_offset(data, shipped: Shipped, label: str) -> int:
    """A byte offset anywhere in the file: a line with text, then a place in it (up to its newline)."""
    n = data.draw(st.sampled_from(shipped.text_lines), label=f"{label} (line index)")
    return shipped.line_starts[n] + data.draw(st.integers(0, len(shipped.lines[n])), label=f"{label} (column)")


def draw_place(data, groups: dict[str, list], label: str) -> tuple[TreePath, object]:
    """A kind of place first (say 'incentives[].tiers[].amount'), then one place of that kind."""
    kind = data.draw(st.sampled_from(list(groups)), label=f"{label} (kind)")
    return data.draw(st.sampled_from(groups[kind]), label=label)


def node_at(tree, path: TreePath):
    for step in path:
        tree = tree[step]
    return tree


def kind_of(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dt.date):
        return "date"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    raise AssertionError(f"unexpected value in the shipped YAML: {value!r}")


def yaml_bytes(tree) -> bytes:
    return yaml.dump(tree, Dumper=SafeDumper, allow_unicode=True, sort_keys=False).encode("utf-8")


def last_line(raw: bytes) -> int:
    """The highest line number a problem may name: a problem found at the very end of the file
    is reported on the line after its last character when the file does not end with a newline."""
    return raw.count(b"\n") + (1 if raw.endswith(b"\n") or not raw else 2)


def indentation(line: bytes) -> int:
    return len(line) - len(line.lstrip(b" "))


@contextlib.contextmanager
def example_files(base: Path, db_bytes: bytes) -> Iterator[tuple[Path, Path]]:
    """A fresh folder holding a copy of the intact database; yields (YAML path, database path)."""
    folder = Path(tempfile.mkdtemp(dir=base))
    try:
        db = folder / "policies.duckdb"
        db.write_bytes(db_bytes)
        yield folder / "mutated.yaml", db
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def assert_no_crash(result: Outcome) -> None:
    for stream in (result.err, result.out):
        assert "Traceback" not in stream, stream
        assert "internal error" not in stream, stream
    assert result.code in (0, 2), f"exit code {result.code}:\n{result.err}"


def assert_problem_report(err: str, data: Path, raw: bytes) -> list[tuple[int, int, str, str]]:
    """stderr is exactly one PATH:LINE:COL: FIELD: MESSAGE line per problem, in file order, then the count."""
    assert err.endswith("\n"), repr(err)
    *problem_lines, summary = err[:-1].split("\n")
    counted = SUMMARY.fullmatch(summary)
    assert counted, f"the last line is not the problem count: {summary!r}\n{err}"
    count = int(counted["count"])
    assert summary == f"{count} problem{'s' if count != 1 else ''} found; nothing was built"
    assert count == len(problem_lines), err

    pattern = re.compile(rf"{re.escape(str(data))}:(?P<line>[1-9][0-9]*):(?P<col>[1-9][0-9]*): "
                         rf"(?P<field>\S+): (?P<message>\S.*)")
    problems = []
    for text in problem_lines:
        match = pattern.fullmatch(text)
        assert match, f"not PATH:LINE:COL: FIELD: MESSAGE: {text!r}\n{err}"
        problem = (int(match["line"]), int(match["col"]), match["field"], match["message"])
        assert problem[0] <= last_line(raw), f"{text!r} points past the end of the file"
        problems.append(problem)
    assert [p[:2] for p in problems] == sorted(p[:2] for p in problems), f"not in file order:\n{err}"
    assert len(set(problem_lines)) == len(problem_lines), f"a problem is reported twice:\n{err}"
    return problems


def assert_build_outcome(result: Outcome, data: Path, db: Path, db_before: bytes) -> Verdict:
    """Exit 2 with the problem format and the old database untouched, or exit 0 with a usable new one."""
    assert_no_crash(result)
    folder = db.parent
    assert not [p.name for p in folder.iterdir() if p.name.startswith(".")], "a temporary file was left behind"
    if result.code == 2:
        assert result.out == ""
        problems = assert_problem_report(result.err, data, data.read_bytes())
        assert db.read_bytes() == db_before, "a failed build changed the database"
        assert sorted(p.name for p in folder.iterdir()) == sorted([data.name, db.name])
        return Verdict(2, result.err, problems)
    built = re.fullmatch(rf"built {re.escape(str(db))} \((?P<records>[0-9]+) sourced records\) in [0-9.]+ s\n",
                         result.err)
    assert built, result.err
    with duckdb.connect(str(db), read_only=True) as con:
        facts = con.execute("SELECT count(*) FROM facts").fetchone()[0]
        built_from = con.execute("SELECT yaml_sha256 FROM internal.build_info").fetchone()[0]
    assert (facts > 0) == (int(built["records"]) > 0), f"{facts} facts from {built['records']} records"
    assert built_from == hashlib.sha256(data.read_bytes()).hexdigest()
    return Verdict(0, result.err, [], int(built["records"]))


def build_over_intact_db(mutated: bytes, base: Path, shipped: Shipped) -> Verdict:
    """`lstui build` of the mutated YAML over a copy of the intact database, with the checks above."""
    with example_files(base, shipped.db_bytes) as (data, db):
        data.write_bytes(mutated)
        result = run_cli("build", "--data", str(data), "--db", str(db))
        verdict = assert_build_outcome(result, data, db, shipped.db_bytes)
    # One change to the parsed data cannot remove every record: a database built from it has facts.
    assert verdict.code == 2 or verdict.records > 0, verdict.err
    return verdict


def check_and_build_agree(mutated: bytes, base: Path, shipped: Shipped) -> Verdict:
    """`lstui check` and `lstui build` of the mutated YAML: the same verdict and the same problems."""
    with example_files(base, shipped.db_bytes) as (data, db):
        data.write_bytes(mutated)
        checked = run_cli("check", "--data", str(data))
        built = run_cli("build", "--data", str(data), "--db", str(db))
        verdict = assert_build_outcome(built, data, db, shipped.db_bytes)
        assert_no_crash(checked)
        assert checked.code == built.code, \
            f"check exited {checked.code}, build {built.code}:\n{checked.err}\n{built.err}"
        if checked.code == 2:
            assert checked.out == ""
            assert checked.err == built.err
        else:
            ok = re.fullmatch(rf"{re.escape(str(data))}: ok \((?P<records>[0-9]+) sourced records\)\n", checked.out)
            assert ok, checked.out
            assert f"({ok['records']} sourced records)" in built.err
    return verdict


# ------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def shipped(shipped_yaml, shipped_db) -> Shipped:
    return Shipped(shipped_yaml.read_bytes(), shipped_db.read_bytes())


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """Where the examples' files go, in a fresh folder each."""
    return tmp_path_factory.mktemp("broken-data")


# ------------------------------------------------------------------------------------------
# Damage to the parsed data, written back as YAML


def test_the_shipped_data_survives_being_rewritten(shipped, base):
    """The shipped data written back unchanged is still valid, so each test below sees only its own damage."""
    data = Path(tempfile.mkdtemp(dir=base)) / "rewritten.yaml"
    data.write_bytes(yaml_bytes(shipped.tree))
    result = run_cli("check", "--data", str(data))
    assert result.code == 0, result.err


@settings(MUTATIONS, max_examples=8)
@given(data=st.data())
def test_deleting_any_key_is_reported_or_harmless(data, shipped, base):
    """Deleting one key of any mapping (a section, a record's field, a tier's, a condition's) never crashes
    the build, and a build that fails leaves the old database as it was."""
    path, key = draw_place(data, shipped.keys, "key to delete")
    tree = copy.deepcopy(shipped.tree)
    del node_at(tree, path)[key]
    build_over_intact_db(yaml_bytes(tree), base, shipped)


@settings(MUTATIONS, max_examples=10)
@given(data=st.data())
def test_a_value_of_the_wrong_type_is_reported_or_harmless(data, shipped, base):
    """Any value replaced by one of another type (text, number, true/false, date, null, list or mapping)
    never crashes the build, and a build that fails leaves the old database as it was."""
    path, step = draw_place(data, shipped.values, "value to replace")
    tree = copy.deepcopy(shipped.tree)
    parent = node_at(tree, path)
    other_types = [strategy for kind, strategy in REPLACEMENTS.items() if kind != kind_of(parent[step])]
    parent[step] = data.draw(st.one_of(other_types), label="replacement")
    build_over_intact_db(yaml_bytes(tree), base, shipped)


@settings(MUTATIONS, max_examples=5)
@given(data=st.data())
def test_a_record_copied_with_its_id_is_a_duplicate_id(data, shipped, base):
    """A record copied anywhere into its own list, id and all, is always refused as a duplicate id."""
    path, index = draw_place(data, shipped.records, "record to copy")
    tree = copy.deepcopy(shipped.tree)
    records = node_at(tree, path)
    record = records[index]
    records.insert(data.draw(st.integers(0, len(records)), label="copy at"), copy.deepcopy(record))
    verdict = build_over_intact_db(yaml_bytes(tree), base, shipped)
    assert verdict.code == 2
    assert any(message.startswith(f"duplicate id '{record['id']}' (first defined at line ")
               for *_, message in verdict.problems), verdict.err


# ------------------------------------------------------------------------------------------
# Damage to the file's bytes; `check` and `build` must agree on each


@settings(MUTATIONS, max_examples=20)
@given(data=st.data())
def test_bad_indentation_is_reported_or_harmless(data, shipped, base):
    """A line indented or dedented by 1-3 spaces, or a tab put into its indentation, never crashes check
    or build, and both reach the same verdict."""
    lines = list(shipped.lines)
    change = data.draw(st.sampled_from(["indent", "dedent", "tab"]), label="change")
    candidates = shipped.yaml_lines
    if change == "dedent":
        candidates = [n for n in candidates if indentation(lines[n])]
    n = data.draw(st.sampled_from(candidates), label="line index")
    line = lines[n]
    if change == "indent":
        lines[n] = b" " * data.draw(st.integers(1, 3), label="spaces") + line
    elif change == "dedent":
        lines[n] = line[min(data.draw(st.integers(1, 3), label="spaces"), indentation(line)):]
    else:
        at = data.draw(st.integers(0, indentation(line)), label="tab at")
        lines[n] = line[:at] + b"\t" + line[at:]
    check_and_build_agree(b"\n".join(lines), base, shipped)


@settings(MUTATIONS, max_examples=8)
@given(data=st.data())
def test_a_truncated_file_is_reported_or_harmless(data, shipped, base):
    """The file cut off at any byte (even inside a character, or at the very start) never crashes check
    or build, and both reach the same verdict."""
    cut = draw_offset(data, shipped, "cut")
    check_and_build_agree(shipped.raw[:cut], base, shipped)


@settings(MUTATIONS, max_examples=20)
@given(data=st.data())
def test_invalid_utf8_is_one_problem_on_its_line(data, shipped, base):
    """Bytes that are not UTF-8, inserted anywhere, are refused by check and build alike as a single
    `encoding` problem on the line where they were inserted."""
    at = draw_offset(data, shipped, "insert")
    bad = data.draw(st.sampled_from(INVALID_UTF8), label="bytes")
    verdict = check_and_build_agree(shipped.raw[:at] + bad + shipped.raw[at:], base, shipped)
    assert verdict.code == 2
    ((line, _, field, message),) = verdict.problems
    assert (field, line) == ("encoding", shipped.raw[:at].count(b"\n") + 1)
    assert message.startswith("invalid UTF-8 byte 0x")

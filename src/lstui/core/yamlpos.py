"""Load YAML into plain dicts and lists that remember where each value was written.

Every mapping becomes a :class:`PosDict` and every sequence a :class:`PosList`; both carry
1-based (line, column) positions for themselves, their keys and their values, so that any
later check can point at the exact spot in the file.

Plain scalars are read by one fixed set of rules (see `_WORDS`), whatever YAML version the
file claims; explicit tags other than !!str are reported, as are characters YAML forbids.
"""

from __future__ import annotations

import datetime as _dt
import math
import re

import yaml
from yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                         SequenceEndEvent, SequenceStartEvent)
from yaml.nodes import ScalarNode

from lstui.core.errors import DataError, Problem
from lstui.core.memory import gc_paused
from lstui.core.textsafe import clip, one_line

try:  # libyaml is several times faster on large files and gives the same marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader

Pos = tuple[int, int]

# A hard ceiling on how deep the YAML may nest; real data needs about six levels.
MAX_DEPTH = 64


class PosDict(dict):
    """A dict with the positions of itself, of each key and of each value."""

    __slots__ = ("pos", "keypos", "valpos")

    def __init__(self, pos: Pos):
        super().__init__()
        self.pos = pos
        self.keypos: dict[str, Pos] = {}
        self.valpos: dict[str, Pos] = {}

    def where(self, key: str | None = None) -> Pos:
        """Position of the value at `key`, else of the key, else of the mapping itself."""
        if key is None:
            return self.pos
        return self.valpos.get(key) or self.keypos.get(key) or self.pos


class PosList(list):
    """A list with the position of itself and of each item."""

    __slots__ = ("pos", "itempos")

    def __init__(self, pos: Pos):
        super().__init__()
        self.pos = pos
        self.itempos: list[Pos] = []

    def where(self, index: int | None = None) -> Pos:
        if index is None or index >= len(self.itempos):
            return self.pos
        return self.itempos[index]


def _mark(item) -> Pos:
    return (item.start_mark.line + 1, item.start_mark.column + 1)


_CORE_TAG = "tag:yaml.org,2002:"
_STR_TAG = _CORE_TAG + "str"

# How a plain (unquoted, untagged) scalar is read. YAML 1.1, which PyYAML follows, reads 017 as
# 15, 1:30 as 90 and yes/no/on/off as booleans; YAML 1.2 reads 017 as 17. A hand-edited file
# should mean one thing to every reader, so plain scalars follow YAML 1.2's core schema, with
# '_' allowed between digits (300_000_000_000), dates kept (2020-06-20), and the number forms
# whose meaning depends on the YAML version or surprises a reader (017, 0x1F, 0o17, 0b101)
# refused with a problem. docs/dataset.md has the table.
_TEXT = object()  # stands for "no special word": the scalar is text or a number
_WORDS = {"": None, "~": None, "null": None, "Null": None, "NULL": None,
          "true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False,
          ".inf": math.inf, ".Inf": math.inf, ".INF": math.inf, "+.inf": math.inf, "+.Inf": math.inf,
          "+.INF": math.inf, "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf,
          ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan}
_NUMERIC_START = frozenset("0123456789+-.")
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9_]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?\Z")
_LEADING_ZERO = re.compile(r"[-+]?0[0-9_]")  # of a number _FLOAT matched: 017, 00.5, 0_1
_BASED = re.compile(r"[-+]?0(?:x_*[0-9a-fA-F][0-9a-fA-F_]*|o_*[0-7][0-7_]*|b_*[01][01_]*)\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_DATETIME = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
                       r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?\Z")


def _without_leading_zeros(value: str) -> str:
    sign = "-" if value[0] == "-" else ""
    body = value.lstrip("+-").lstrip("0_")
    return sign + (body if body[:1].isdigit() else "0" + body)


def _based_message(value: str) -> str:
    name = {"x": "hexadecimal", "o": "octal", "b": "binary"}[value.lstrip("+-")[1]]
    digits = value.replace("_", "")
    decimal = str(int(digits, 0)) if len(digits) <= 24 else "it in decimal"
    return f"{name} numbers are not allowed (write {decimal}, or quote it as text)"


def _tag_message(tag: str, what: str) -> str:
    if tag.startswith(_CORE_TAG):
        shown = "!!" + tag[len(_CORE_TAG):]
    elif tag.startswith("!"):
        shown = tag
    else:
        shown = f"!<{tag}>"
    hint = " (in quotes if it is text)" if what == "value" else ""
    return f"tags are not supported here: {clip(one_line(shown), 60)}; write the {what} without a tag{hint}"


_SKIP = object()  # stands for a reported key whose value is dropped


class _Frame:
    """A mapping or sequence being filled, or (out None) a subtree being skipped."""

    __slots__ = ("out", "field", "depth", "key", "keypos", "skip")

    def __init__(self, out, field: str, depth: int, pos: Pos, skip: str = ""):
        self.out, self.field, self.depth = out, field, depth
        self.skip = skip  # "": kept; "key": a bad key; "value": a dropped value; "deep": too deep
        self.key = None  # in a mapping: the key waiting for its value, or _SKIP to drop that value
        self.keypos = pos


class _Builder:
    """Turn the parser's event stream into PosDict/PosList/scalars in one pass.

    Working from events rather than a composed node tree keeps only the result in memory
    and needs no recursion, so large and deeply nested files cost no more than their size.
    """

    def __init__(self, filename: str):
        self.filename = filename
        self.problems: list[Problem] = []
        self.constructor = yaml.SafeLoader("")
        self.root = None

    def problem(self, pos: Pos, field: str, message: str) -> None:
        self.problems.append(Problem(self.filename, pos[0], pos[1], field, message))

    def scalar(self, event, field: str):
        """A scalar's value. Quoted, block and !!str scalars are text as written; a plain one may
        also be null, true/false, a number or a date (see the rules above `_WORDS`)."""
        tag = event.tag
        if tag is not None and tag != _STR_TAG:
            return self._refuse(event, field, _tag_message(tag, "value"))
        value = event.value
        if tag is not None or not event.implicit[0]:
            return value
        word = _WORDS.get(value, _TEXT)
        if word is not _TEXT:
            return word
        if value[0] in _NUMERIC_START:
            return self._number_or_date(event, value, field)
        return value

    def _refuse(self, event, field: str, message: str) -> None:
        """Report a value that cannot be read; it is left out (None) and the file read on."""
        self.problem(_mark(event), field or "yaml", message)
        return None

    def _number_or_date(self, event, value: str, field: str):
        if _INT.match(value):
            try:
                return int(value.replace("_", ""))
            except ValueError:  # longer than Python converts (thousands of digits)
                digits = len(value.replace("_", "").lstrip("+-"))
                return self._refuse(event, field, f"cannot read a number of {digits:,} digits")
        if _FLOAT.match(value):
            if _LEADING_ZERO.match(value):
                return self._refuse(event, field, f"leading zeros are not allowed in numbers "
                                                 f"(write {_without_leading_zeros(value)}, or quote it as text)")
            return float(value.replace("_", ""))
        if _BASED.match(value):
            return self._refuse(event, field, _based_message(value))
        if _DATE.match(value):
            try:
                return _dt.date(int(value[:4]), int(value[5:7]), int(value[8:10]))
            except ValueError as exc:  # 2020-13-01 looks like a date but is not one
                return self._refuse(event, field, f"cannot read value {value!r}: {exc}")
        if _DATETIME.match(value):
            node = ScalarNode(_CORE_TAG + "timestamp", value, event.start_mark, event.end_mark)
            try:
                return self.constructor.construct_yaml_timestamp(node)
            except (ValueError, OverflowError) as exc:
                return self._refuse(event, field, f"cannot read value {value!r}: {exc}")
        return value

    def build(self, events):
        """The document's root value; None for an empty stream."""
        documents = 0
        stack: list[_Frame] = []
        for event in events:
            kind = type(event)
            if kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise DataError([Problem(self.filename, *_mark(event), "syntax",
                                             "YAML syntax error: expected a single document in the file")])
            elif kind in _ENDS:
                self._end(stack, stack.pop())
            elif kind in _NODES:
                parent = stack[-1] if stack else None
                if parent is not None and parent.out is None:  # inside a skipped subtree
                    if kind in _STARTS:
                        stack.append(_Frame(None, "", parent.depth + 1, (0, 0), skip="inner"))
                    continue
                self._node(stack, parent, event, kind)
        return self.root

    def _node(self, stack: list[_Frame], parent: _Frame | None, event, kind) -> None:
        pos = _mark(event)
        if parent is None:
            depth, field = 0, ""
        elif isinstance(parent.out, PosDict):
            if parent.key is None:  # this node is a key
                if kind is ScalarEvent:
                    self._key(parent, str(event.value), pos, event.tag)
                    return
                word = "aliases" if kind is AliasEvent else "lists or mappings"
                self.problem(pos, parent.field or "yaml", f"keys must be plain words, not {word}")
                if kind is AliasEvent:
                    parent.key = _SKIP
                else:
                    stack.append(_Frame(None, "", parent.depth + 1, pos, skip="key"))
                return
            if parent.key is _SKIP:  # the value of a reported key: dropped
                if kind in _STARTS:
                    stack.append(_Frame(None, "", parent.depth + 1, pos, skip="value"))
                else:
                    parent.key = None
                return
            depth = parent.depth + 1
            field = f"{parent.field}.{parent.key}" if parent.field else parent.key
        else:
            depth, field = parent.depth + 1, f"{parent.field}[{len(parent.out)}]"

        if depth > MAX_DEPTH:
            self.problem(pos, field or "yaml", f"nested deeper than {MAX_DEPTH} levels")
            if kind in _STARTS:
                stack.append(_Frame(None, field, depth, pos, skip="deep"))
            else:
                self._place(parent, None, pos)
        elif kind is ScalarEvent:
            self._place(parent, self.scalar(event, field), pos)
        elif kind is AliasEvent:
            at = parent.keypos if parent is not None and isinstance(parent.out, PosDict) else pos
            self.problem(at, field or "yaml", "anchors and aliases (&name, *name) are not supported; write the value out")
            self._place(parent, None, pos)
        else:
            if event.tag is not None:  # reported; the content is still read and checked
                what = "mapping" if kind is MappingStartEvent else "list"
                self.problem(pos, field or "yaml", _tag_message(event.tag, what))
            out = PosDict(pos) if kind is MappingStartEvent else PosList(pos)
            stack.append(_Frame(out, field, depth, pos))

    def _end(self, stack: list[_Frame], frame: _Frame) -> None:
        parent = stack[-1] if stack else None
        if frame.skip == "inner":
            return
        if frame.skip == "key":
            parent.key = _SKIP
        elif frame.skip == "value":
            parent.key = None
        elif frame.skip == "deep":
            self._place(parent, None, frame.keypos)
        else:
            self._place(parent, frame.out, frame.out.pos)

    def _key(self, parent: _Frame, key: str, pos: Pos, tag: str | None) -> None:
        out = parent.out
        path = f"{parent.field}.{key}" if parent.field else key
        if tag is not None and tag != _STR_TAG:  # reported, and the key read as the text it is
            self.problem(pos, path, _tag_message(tag, "key"))
        if key == "<<":
            self.problem(pos, path, "merge keys (<<) are not supported; write the fields out")
            parent.key = _SKIP
        elif key in out:
            self.problem(pos, path, f"duplicate key '{key}' (first written at line {out.keypos[key][0]})")
            parent.key = _SKIP
        else:
            parent.key = key
            parent.keypos = pos

    def _place(self, parent: _Frame | None, value, pos: Pos) -> None:
        """Put a finished value into its parent, or make it the document's root."""
        if parent is None:
            self.root = value
            return
        out = parent.out
        if isinstance(out, PosDict):
            key = parent.key
            parent.key = None
            out[key] = value
            out.keypos[key] = parent.keypos
            out.valpos[key] = pos
        else:
            out.append(value)
            out.itempos.append(pos)


_STARTS = (MappingStartEvent, SequenceStartEvent)
_ENDS = (MappingEndEvent, SequenceEndEvent)
_NODES = (ScalarEvent, AliasEvent, MappingStartEvent, SequenceStartEvent)


def _decode(raw: bytes, filename: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before) - (before.rfind(b"\n") + 1) + 1
        bad = raw[exc.start : exc.start + 1].hex()
        raise DataError([Problem(filename, line, col, "encoding", f"invalid UTF-8 byte 0x{bad}; save the file as UTF-8")]) from None
    return text[1:] if text.startswith("\ufeff") else text


# What YAML allows in a file: tab, line breaks, printable ASCII, NEL, and Unicode from U+00A0 up
# except surrogates and the noncharacters U+FFFE and U+FFFF.
_FORBIDDEN = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# The line breaks YAML counts (and so the parser's own positions): CR LF, CR, LF, NEL, LS, PS.
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_RARE_BREAK = re.compile("[\r\x85\u2028\u2029]")
_C0_NAMES = ("NUL SOH STX ETX EOT ENQ ACK BEL BS HT LF VT FF CR SO SI DLE DC1 DC2 DC3 DC4 NAK SYN ETB "
             "CAN EM SUB ESC FS GS RS US").split()


def _character_name(code: int) -> str:
    if code < 0x20:
        return _C0_NAMES[code]
    if code == 0x7F:
        return "DEL"
    if code <= 0x9F:
        return "a C1 control character"
    if 0xD800 <= code <= 0xDFFF:
        return "a lone surrogate"
    return "a noncharacter"


def _forbidden_character(text: str, filename: str) -> Problem:
    """The first character YAML does not allow, at its own line and column (the parser's error
    gives only an offset, and does not name the character legibly)."""
    found = _FORBIDDEN.search(text)
    if found is None:  # pragma: no cover - the parser refused a character this pattern allows
        return Problem(filename, 1, 1, "encoding", "the file holds a character that YAML does not allow")
    at = found.start()
    if _RARE_BREAK.search(text, 0, at) is None:  # lines end in LF alone: count them at C speed
        line, line_start = text.count("\n", 0, at) + 1, text.rfind("\n", 0, at) + 1
    else:
        line, line_start = 1, 0
        for brk in _BREAK.finditer(text, 0, at):
            line, line_start = line + 1, brk.end()
    code = ord(found.group())
    return Problem(filename, line, at - line_start + 1, "encoding",
                   f"the character U+{code:04X} ({_character_name(code)}) is not allowed in YAML; remove it")


def _syntax_problem(exc: yaml.YAMLError, filename: str) -> Problem:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    message = f"YAML syntax error: {problem}"
    if context and context_mark is not None and context_mark is not mark:
        message += f" ({context} that starts at line {context_mark.line + 1}, column {context_mark.column + 1})"
    elif context:
        message += f" ({context})"
    return Problem(filename, line, col, "syntax", message)


def loads(text: str | bytes, filename: str = "<data>") -> tuple[object, list[Problem]]:
    """Parse YAML text into PosDict/PosList/scalars plus the problems found on the way.

    Unreadable input (bad encoding, broken syntax, empty file) raises DataError; problems that
    leave the rest readable (duplicate keys, aliases) are returned so that validation can go on
    and report everything at once.
    """
    if isinstance(text, bytes):
        text = _decode(text, filename)
    builder = _Builder(filename)
    try:
        with gc_paused():  # millions of small acyclic objects: collection passes only cost time
            root = builder.build(yaml.parse(text, Loader=_Loader))
    except (yaml.reader.ReaderError, UnicodeEncodeError):  # the latter: a str with lone surrogates
        raise DataError([_forbidden_character(text, filename)]) from None
    except yaml.YAMLError as exc:
        raise DataError([_syntax_problem(exc, filename)]) from None
    if root is None and not builder.problems:
        raise DataError([Problem(filename, 1, 1, "file", "the file is empty; expected a mapping with sources, jurisdictions, ...")])
    return root, builder.problems

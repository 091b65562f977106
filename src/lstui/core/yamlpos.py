"""Load YAML into plain dicts and lists that remember where each value was written.

Every mapping becomes a :class:`PosDict` and every sequence a :class:`PosList`; both carry
1-based (line, column) positions for themselves, their keys and their values, so that any
later check can point at the exact spot in the file.
"""

from __future__ import annotations

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from lstui.core.errors import DataError, LstuiError, Problem

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


def _mark(node) -> Pos:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Converter:
    def __init__(self, filename: str):
        self.filename = filename
        self.problems: list[Problem] = []
        self.constructor = yaml.SafeLoader("")
        self.seen: set[int] = set()

    def problem(self, pos: Pos, field: str, message: str) -> None:
        self.problems.append(Problem(self.filename, pos[0], pos[1], field, message))

    def convert(self, node, field: str, depth: int = 0, at: Pos | None = None):
        """`at` is where the value is written (a mapping key), used when the node is an alias."""
        if depth > MAX_DEPTH:
            self.problem(_mark(node), field or "yaml", f"nested deeper than {MAX_DEPTH} levels")
            return None
        if isinstance(node, (MappingNode, SequenceNode)):
            # The composer hands back the anchored node itself for every alias of it.
            if id(node) in self.seen:
                self.problem(at or _mark(node), field or "yaml",
                             "anchors and aliases (&name, *name) are not supported; write the value out")
                return None
            self.seen.add(id(node))
        if isinstance(node, MappingNode):
            return self._mapping(node, field, depth)
        if isinstance(node, SequenceNode):
            out = PosList(_mark(node))
            for i, item in enumerate(node.value):
                out.append(self.convert(item, f"{field}[{i}]", depth + 1))
                out.itempos.append(_mark(item))
            return out
        return self._scalar(node, field)

    def _mapping(self, node: MappingNode, field: str, depth: int) -> PosDict:
        out = PosDict(_mark(node))
        for knode, vnode in node.value:
            if not isinstance(knode, ScalarNode):
                self.problem(_mark(knode), field or "yaml", "keys must be plain words, not lists or mappings")
                continue
            key = str(knode.value)
            path = f"{field}.{key}" if field else key
            if key == "<<":
                self.problem(_mark(knode), path, "merge keys (<<) are not supported; write the fields out")
                continue
            if key in out:
                first = out.keypos[key]
                self.problem(_mark(knode), path, f"duplicate key '{key}' (first written at line {first[0]})")
                continue
            out[key] = self.convert(vnode, path, depth + 1, at=_mark(knode))
            out.keypos[key] = _mark(knode)
            out.valpos[key] = _mark(vnode)
        return out

    def _scalar(self, node: ScalarNode, field: str):
        try:
            return self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
            # e.g. 2020-13-01 looks like a date to YAML but is not one
            problem = getattr(exc, "problem", None) or str(exc)
            self.problem(_mark(node), field or "yaml", f"cannot read value {node.value!r}: {problem}")
            return None


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
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise DataError([_syntax_problem(exc, filename)]) from None
    except RecursionError:
        raise DataError([Problem(filename, 1, 1, "syntax", "the YAML nests too deeply to read")]) from None
    if root is None:
        raise DataError([Problem(filename, 1, 1, "file", "the file is empty; expected a mapping with sources, jurisdictions, ...")])
    converter = _Converter(filename)
    try:
        data = converter.convert(root, "")
    except RecursionError:
        raise DataError([Problem(filename, 1, 1, "syntax", "the YAML nests too deeply to read")]) from None
    return data, converter.problems


def load(path) -> tuple[object, list[Problem]]:
    """Read and parse a YAML file (see :func:`loads`)."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        raise LstuiError(f"{path}: no such data file") from None
    except IsADirectoryError:
        raise LstuiError(f"{path}: is a directory, not a YAML file") from None
    except OSError as exc:
        raise LstuiError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return loads(raw, str(path))

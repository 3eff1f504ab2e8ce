"""Stage 1, load: find record files and read them into plain data with line numbers.

Only safe YAML loading is used (libyaml's C loader where available). The file is
composed into nodes first so that every value keeps the line it came from, and so
that anchors, aliases and merge keys can be refused before anything expands them.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .problems import Problems, format_key

try:  # libyaml is about ten times faster than the pure-Python loader
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES = 1_000_000
"""A record is a few kilobytes; anything near a megabyte is a mistake or an attack."""

KINDS = {"": "concept", "works": "work", "articles": "article"}
"""Folder inside concepts/ -> record kind."""

_YAML_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_YAML_TAG + name for name in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}
"""The tags YAML gives plain values. Any other (!!python/name:…, !!binary, !custom) is refused
before it is constructed: a record holds text, numbers, lists and mappings only."""


@dataclass(frozen=True)
class RawRecord:
    """A record file read into plain Python data, before validation."""

    path: str
    """Relative to the repository root, with forward slashes."""
    kind: str
    """concept, work or article."""
    data: object
    lines: dict[tuple, int] = field(repr=False)
    """Key path -> 1-based line where that value (or its key) starts."""
    scalars: dict[tuple, str] = field(repr=False, default_factory=dict)
    """Key path -> the text as written, for values YAML did not read as text (1397, no, 2008-01-01)."""
    def line(self, key_path: tuple) -> int:
        """The line of key_path, or of its nearest ancestor that has one."""
        path = tuple(key_path)
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path, 1)


def find_record_files(root: Path, records_dir: Path, problems: Problems) -> list[tuple[Path, str]]:
    """List record files as (path, kind), sorted, refusing links that leave the repository."""
    found: list[tuple[Path, str]] = []
    if not records_dir.is_dir():
        problems.add(record_name(records_dir, root), 0, "", "records folder not found")
        return found
    for folder, kind in sorted(KINDS.items()):
        directory = records_dir / folder if folder else records_dir
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            if path.is_dir() and not path.is_symlink() and directory == records_dir:
                if path.name not in KINDS and not path.name.startswith("."):
                    problems.add(record_name(path, root), 0, "",
                                 "unknown folder: concepts go in concepts/, cited works in "
                                 "concepts/works/, source articles in concepts/articles/")
                continue
            if path.suffix not in (".yaml", ".yml") or path.name.startswith("."):
                if path.is_file() and path.suffix in (".json", ".toml", ".txt"):
                    problems.add(record_name(path, root), 0, "",
                                 f"not a record: records are .yaml files (found '{path.suffix}')")
                continue
            if path.is_symlink():
                target = Path(os.path.realpath(path))
                if not _is_inside(target, root.resolve()):
                    problems.add(record_name(path, root), 0, "",
                                 f"symbolic link to {target}, outside the repository; "
                                 "records must be files inside the repository")
                    continue
            if not path.is_file():
                problems.add(record_name(path, root), 0, "", "not a regular file")
                continue
            found.append((path, kind))
    return found


def load_records(root: Path, files: list[tuple[Path, str]], problems: Problems,
                 contents: dict[Path, bytes] | None = None) -> list[RawRecord]:
    """Read every record file listed by find_record_files; problems are collected, never raised.

    contents (path -> bytes, already read this run for the input digest) spares reading again.
    """
    records = []
    contents = contents or {}
    for path, kind in files:
        record = read_record(path, record_name(path, root), kind, problems, contents.get(path))
        if record is not None:
            records.append(record)
    return records


def read_record(path: Path, rel: str, kind: str, problems: Problems, raw: bytes | None = None) -> RawRecord | None:
    """Read one record file into a RawRecord, or report why it cannot be read."""
    size = len(raw) if raw is not None else path.stat().st_size
    if size > MAX_FILE_BYTES:
        problems.add(rel, 0, "", f"file is {size / 1e6:.1f} MB; a record may be at most "
                                 f"{MAX_FILE_BYTES / 1e6:.0f} MB (is a text pasted twice, or a binary file?)")
        return None
    if raw is None:
        raw = path.read_bytes()
    text = decode_record_bytes(raw, rel, problems)
    if text is None:
        return None
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        column = f", column {mark.column + 1}" if mark else ""
        reason = error.problem or error.context or "invalid YAML"
        hint = ""
        line_text = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
        if "\t" in line_text:
            hint = "; YAML does not allow tabs for indentation: use spaces"
        elif "expected ','" in reason or "flow" in str(error.context or ""):
            hint = ("; inside { } or [ ] on one line, quote any value that contains , : [ ] { } "
                    "(such as a [[link]])")
        problems.add(rel, line, "", f"YAML syntax error{column}: {reason}{hint}")
        return None
    except yaml.YAMLError as error:
        problems.add(rel, 0, "", f"YAML error: {error}")
        return None
    if node is None:
        problems.add(rel, 1, "", "file is empty; a record is a mapping that starts with 'id:'")
        return None
    lines: dict[tuple, int] = {}
    scalars: dict[tuple, str] = {}
    before = len(problems)
    aliases: list[tuple[tuple, int]] = []
    data = _node_to_data(node, (), lines, scalars, set(), aliases, rel, problems)
    if aliases:
        (key_path, anchor_line), more = aliases[0], len(aliases) - 1
        problems.add(rel, lines[key_path], format_key(key_path),
                     f"YAML anchors and aliases are not allowed in records: this reuses the anchor on "
                     f"line {anchor_line}{f', and {more} more aliases follow' if more else ''}; "
                     "write the values out")
    if len(problems) > before:
        return None  # aliases, merge keys or repeated keys: checking the rest would only mislead
    if not _check_hidden_line_breaks(text, node, rel, problems):
        return None
    return RawRecord(rel, kind, data, lines, scalars)


HIDDEN_LINE_BREAKS = {"\x85": "U+0085 NEXT LINE", "\u2028": "U+2028 LINE SEPARATOR",
                      "\u2029": "U+2029 PARAGRAPH SEPARATOR"}
"""Characters YAML reads as line breaks (and folds away, or keeps) although editors show none:
the text would not be what the file seems to say."""


def _check_hidden_line_breaks(text: str, node, rel: str, problems: Problems) -> bool:
    found = [(text.find(char), char) for char in HIDDEN_LINE_BREAKS if char in text]  # rare: no loop per character
    if found:
        index, char = min(found)
        key = _key_at(node, index, ())
        problems.add(rel, text.count("\n", 0, index) + 1, format_key(key) if key is not None else "",
                     f"contains {HIDDEN_LINE_BREAKS[char]}, which YAML reads as a line break that "
                     "editors do not show; write a space (or a real line break in prose) instead")
        return False
    return True


def _key_at(node, index: int, path: tuple) -> tuple | None:
    """The key path of the value whose text holds the character at index."""
    if not node.start_mark.index <= index <= node.end_mark.index:
        return None
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            found = _key_at(value_node, index, path + (getattr(key_node, "value", "?"),))
            if found is not None:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for number, item in enumerate(node.value):
            found = _key_at(item, index, path + (number,))
            if found is not None:
                return found
    return path


def decode_record_bytes(raw: bytes, rel: str, problems: Problems) -> str | None:
    """Decode a record as UTF-8 without BOM and with LF line ends, or report why not."""
    if raw.startswith(b"\xef\xbb\xbf"):
        problems.add(rel, 1, "", "file starts with a UTF-8 byte-order mark (BOM); "
                                 "save it as UTF-8 without BOM")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        problems.add(rel, line, "", f"file is not UTF-8: byte 0x{raw[error.start]:02x} at offset "
                                    f"{error.start} cannot be decoded; save the file as UTF-8")
        return None
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        problems.add(rel, line, "", "Windows (CRLF) or old Mac (CR) line ends; "
                                    "save the file with Unix (LF) line ends")
        return None
    if "\x00" in text:
        problems.add(rel, text[: text.index("\x00")].count("\n") + 1, "",
                     "file contains a NUL character; is it a binary file?")
        return None
    return text


_constructor = yaml.constructor.SafeConstructor()


def _node_to_data(node, path: tuple, lines: dict, scalars: dict, seen: set, aliases: list,
                  rel: str, problems: Problems):
    """Convert a YAML node tree to Python data, recording the line of every value."""
    lines.setdefault(path, node.start_mark.line + 1)
    if id(node) in seen:  # the composer hands out the same node again only for an alias
        aliases.append((path, node.start_mark.line + 1))
        return None
    seen.add(id(node))
    if node.tag not in _PLAIN_TAGS:
        problems.add(rel, node.start_mark.line + 1, format_key(path),
                     f"YAML tag '{_tag_shown(node.tag)}' is not allowed in records: they hold plain text, "
                     "numbers, lists and mappings; remove the tag")
        return None
    if isinstance(node, yaml.ScalarNode):
        value = _scalar(node)
        if not isinstance(value, str):
            scalars[path] = node.value
        return value
    if isinstance(node, yaml.SequenceNode):
        return [_node_to_data(item, path + (i,), lines, scalars, seen, aliases, rel, problems)
                for i, item in enumerate(node.value)]
    result: dict = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if key_node.tag == _YAML_TAG + "merge":
            problems.add(rel, line, format_key(path),
                         "YAML merge keys (<<) are not allowed in records; write the keys out")
            continue
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _YAML_TAG + "str":
            shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "a collection"
            problems.add(rel, line, format_key(path),
                         f"key {shown!r} is not text (YAML read it as {_tag_name(key_node.tag)}); "
                         "quote it")
            continue
        key = key_node.value
        if key in result:
            problems.add(rel, line, format_key(path + (key,)),
                         f"key '{key}' appears twice in this mapping (first on line "
                         f"{lines[path + (key,)]}); YAML would silently keep only the last")
            continue
        lines[path + (key,)] = line
        result[key] = _node_to_data(value_node, path + (key,), lines, scalars, seen, aliases,
                                    rel, problems)
    return result


def _scalar(node: yaml.ScalarNode):
    value = _constructor.construct_object(node)
    if isinstance(value, (str, bool, int, float, type(None), dt.date, dt.datetime)):
        return value
    return node.value  # binary and other exotic tags: keep the text; validation complains


def _tag_shown(tag: str) -> str:
    """A tag as it is written in YAML: '!!python/name:os.system', '!custom'."""
    return "!!" + tag[len(_YAML_TAG):] if tag.startswith(_YAML_TAG) else tag


def _tag_name(tag: str) -> str:
    return {"bool": "a yes/no value", "int": "a number", "float": "a number", "null": "empty",
            "timestamp": "a date"}.get(tag.replace(_YAML_TAG, ""), tag)


def _is_inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def record_name(path: Path, root: Path) -> str:
    """How a record file is named in messages and caches: relative to the project, with forward
    slashes; a file outside the project (--records elsewhere) keeps its full path."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()

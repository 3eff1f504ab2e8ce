"""Check raw records against the JSON Schemas in schema/ and explain what is wrong.

The same schema files drive editors (`# yaml-language-server: $schema=...`) and the
build. jsonschema's own messages ("'en' is a required property") are rewritten into
messages that say what was found, what was expected and how to fix it.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

import fastjsonschema
import jsonschema
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7
from slugify import slugify

from .loading import RawRecord
from .problems import Problems, did_you_mean, format_key

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schema"
SCHEMA_FILES = {"concept": "concept.schema.json", "work": "work.schema.json",
                "article": "article.schema.json", "settings": "settings.schema.json"}
ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
ONE_LINE_PATTERN = "^(?![\\s\\S]*[\\n\\r\\t\\u2028\\u2029])[\\s\\S]*\\S"
"""The schema's pattern for one-line text (common.schema.json, shortText)."""
_LANGUAGE_NAMES = {"fa": "Persian", "en": "English"}


def _stamp() -> tuple:
    """The size and time of every schema file: the validators are made again when one changes
    (a running server then checks records against the edited schema)."""
    return tuple((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(SCHEMA_DIR.glob("*.json")))


def get_validator(kind: str) -> jsonschema.Draft7Validator:
    """A validator for one record kind, with the shared definitions registered."""
    return _validator(kind, _stamp())


def get_fast_check(kind: str):
    """A compiled validator (fastjsonschema): 40 times faster, but it stops at the first error."""
    return _fast_check(kind, _stamp())


@lru_cache(maxsize=16)
def _validator(kind: str, stamp: tuple) -> jsonschema.Draft7Validator:
    resources = []
    for name in ["common.schema.json", *SCHEMA_FILES.values()]:
        contents = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
        resources.append((SCHEMA_DIR.joinpath(name).as_uri(),
                          Resource.from_contents(contents, default_specification=DRAFT7)))
    registry = Registry().with_resources(resources)
    uri = SCHEMA_DIR.joinpath(SCHEMA_FILES[kind]).as_uri()
    schema = {"$ref": uri}
    return jsonschema.Draft7Validator(schema, registry=registry)


@lru_cache(maxsize=16)
def _fast_check(kind: str, stamp: tuple):
    def load(uri: str):
        return json.loads(Path(uri.removeprefix("file://")).read_text(encoding="utf-8"))

    path = SCHEMA_DIR / SCHEMA_FILES[kind]
    schema = dict(json.loads(path.read_text(encoding="utf-8")), **{"$id": path.as_uri()})
    return fastjsonschema.compile(schema, handlers={"file": load})


def check_schema(record: RawRecord, problems: Problems) -> bool:
    """Validate one record; add a problem for every error. True when it is valid.

    Valid records pass the compiled check; only a record that fails it is checked again by
    jsonschema, which finds every error and says where.
    """
    try:
        get_fast_check(record.kind)(record.data)
        return True
    except fastjsonschema.JsonSchemaException:
        pass
    errors = list(get_validator(record.kind).iter_errors(record.data))
    for error in errors:
        for key_path, message in describe_error(error, record):
            problems.add(record.path, record.line(key_path), format_key(key_path), message)
    return not errors


def describe_error(error: jsonschema.ValidationError, record: RawRecord) -> list[tuple[tuple, str]]:
    """Turn one jsonschema error into (key path, message) pairs a person can act on."""
    path = tuple(error.absolute_path)
    instance, schema, kind = error.instance, error.schema, error.validator

    if kind == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = sorted(set(instance) - set(allowed))
        return [(path + (key,), f"unknown key '{key}'{did_you_mean(key, allowed)}"
                 + ("" if did_you_mean(key, allowed) else f" (allowed: {', '.join(allowed)})"))
                for key in extra]
    if kind == "required":
        missing = [key for key in error.validator_value if key not in instance]
        return [(path, _missing_message(key, schema)) for key in missing]
    if kind == "type":
        return [(path, _type_message(error.validator_value, instance, record.scalars.get(path)))]
    if kind in ("oneOf", "anyOf"):
        return _describe_alternatives(error, record)
    if kind == "pattern":
        return [(path, _pattern_message(error.validator_value, instance, schema))]
    if kind == "minLength":
        return [(path, "text is empty")]
    if kind == "maxLength":
        return [(path, f"text is {len(instance):,} characters long; the limit here is "
                       f"{error.validator_value:,}")]
    if kind == "minItems":
        if not instance:
            return [(path, f"the list is empty; at least {error.validator_value} "
                           f"{'item is' if error.validator_value == 1 else 'items are'} needed")]
        return [(path, f"at least {error.validator_value} items are needed")]
    if kind == "uniqueItems":
        seen, repeated = set(), []
        for item in instance:
            key = json.dumps(item, sort_keys=True, default=str)
            if key in seen:
                repeated.append(item)
            seen.add(key)
        return [(path, f"{_show(item)} is listed more than once") for item in repeated]
    if kind == "enum":
        choices = [str(c) for c in error.validator_value]
        return [(path, f"{_show(instance)} is not allowed here; expected one of: "
                       f"{', '.join(choices)}{did_you_mean(str(instance), choices)}")]
    if kind == "const":
        return [(path, f"expected {_show(error.validator_value)}, found {_show(instance)}")]
    if kind == "not":
        return [(path, f"{_show(instance)} is not allowed here")]
    return [(path, error.message)]


def _missing_message(key: str, schema: dict) -> str:
    if key in _LANGUAGE_NAMES and set(schema.get("required", [])) >= {"fa", "en"}:
        return f"missing the {_LANGUAGE_NAMES[key]} text (add key '{key}')"
    return f"missing required key '{key}'"


def _type_message(expected, instance, written: str | None) -> str:
    expected_types = expected if isinstance(expected, list) else [expected]
    wanted = " or ".join(_TYPE_NAMES.get(t, t) for t in expected_types)
    if instance is None:
        return f"expected {wanted}, but the value is empty"
    if "string" in expected_types and written is not None:
        if isinstance(instance, bool):
            return (f"expected text, but YAML read {written} as the yes/no value "
                    f"{str(instance).lower()}; put it in quotes: '{written}'")
        if isinstance(instance, (int, float)):
            return f"expected text, but YAML read {written} as a number; put it in quotes: \"{written}\""
        if isinstance(instance, (dt.date, dt.datetime)):
            return f"expected text, but YAML read {written} as a date; put it in quotes: \"{written}\""
    return f"expected {wanted}, but found {_describe_value(instance)}"


_TYPE_NAMES = {"string": "text", "object": "a mapping (key: value lines)", "array": "a list",
               "boolean": "true or false", "integer": "a whole number", "number": "a number"}


def _describe_value(value) -> str:
    if isinstance(value, bool):
        return f"the yes/no value {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {_show(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (dt.date, dt.datetime)):
        return f"the date {value.isoformat()}"
    return type(value).__name__


def _pattern_message(pattern: str, instance: str, schema: dict) -> str:
    if pattern.startswith("^(https?://"):
        return _site_url_message(instance)
    if pattern == ID_PATTERN:
        suggestion = slugify(instance) if instance.isascii() else ""
        hint = f"; try '{suggestion}'" if suggestion and suggestion != instance else ""
        return (f"{_show(instance)} is not a safe id: ids are lowercase ASCII letters, digits and "
                f"single hyphens, because they become URLs and anchors{hint}")
    if pattern == "\\S":
        return "text is blank"
    if "page" in schema.get("description", "").lower() or pattern.startswith("^[0-9]{1,5}"):
        return (f"{_show(instance)} is not a page locator; write the page as the article gives it, "
                f"in quotes, such as \"91\" or \"15-16\"")
    if pattern == "^[0-9]{4}-[0-9]{2}-[0-9]{2}$":
        return f"{_show(instance)} is not a date; write it as \"YYYY-MM-DD\" in quotes"
    if pattern == ONE_LINE_PATTERN:
        if not instance.strip():
            return "text is blank"
        where = next(i for i, c in enumerate(instance) if c in "\n\r\t\u2028\u2029")
        what = "a tab" if instance[where] == "\t" else "a line break"
        return (f"contains {what} at character {where + 1}; this field is one line (a title, a name or a "
                "reference, which pages and exports print on one line): write it on one line")
    if pattern == "^[0-9]{4}$":
        return f"{_show(instance)} is not a year; write the four digits in quotes, such as \"1397\""
    return f"{_show(instance)} does not match the expected form {pattern}"


def _site_url_message(value: str) -> str:
    expected = "write it as \"https://host/path/\" (http or https, ending with /), or leave it empty"
    if not value.startswith(("http://", "https://")):
        return f"{_show(value)} is not an http(s) address; {expected}"
    bad = sorted({c for c in value if not (c.isascii() and (c.isalnum() or c in ".-_~!$()*+,;=:@%/"))})
    if bad:
        shown = ", ".join(repr(c) if c.isprintable() and not c.isspace() else f"U+{ord(c):04X}" for c in bad)
        return (f"{_show(value)} contains {shown}, which an address may not hold as such (the pages print "
                f"it in HTML; percent-encode it, & as %26); {expected}")
    return f"{_show(value)} is not a site address; {expected}"


def _describe_alternatives(error: jsonschema.ValidationError, record: RawRecord) -> list[tuple[tuple, str]]:
    """For oneOf/anyOf, explain the alternative the value was evidently aiming at."""
    path = tuple(error.absolute_path)
    by_branch: dict[int, list[jsonschema.ValidationError]] = {}
    for sub in error.context or []:
        by_branch.setdefault(sub.schema_path[0], []).append(sub)
    plausible = {branch: subs for branch, subs in by_branch.items()
                 if not any(not sub.relative_path and sub.validator in ("type", "const") for sub in subs)}
    if len(plausible) == 1 or (plausible and isinstance(error.instance, dict)):
        branch = min(plausible, key=lambda b: (_overlap_penalty(error.validator_value[b], error.instance),
                                               len(plausible[b])))
        out = []
        for sub in plausible[branch]:
            out.extend(describe_error(sub, record))
        return out
    options = " or ".join(_describe_branch(option) for option in error.validator_value)
    written = record.scalars.get(path)
    found = written if written is not None else _describe_value(error.instance)
    return [(path, f"expected {options}, but found {found}")]


def _overlap_penalty(schema: dict, instance) -> int:
    """How badly a mapping's keys fit one alternative (lower is a better fit)."""
    schema = _resolve_local(schema)
    if not isinstance(instance, dict) or "properties" not in schema:
        return 100
    keys = set(instance)
    props = set(schema["properties"])
    return len(keys - props) * 2 + len(set(schema.get("required", [])) - keys)


def _resolve_local(schema: dict) -> dict:
    if "$ref" in schema and "#/definitions/" in schema["$ref"]:
        file, _, pointer = schema["$ref"].partition("#/definitions/")
        name = file or "common.schema.json"
        document = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
        return document.get("definitions", {}).get(pointer, schema)
    return schema


def _describe_branch(schema: dict) -> str:
    schema = _resolve_local(schema)
    if "const" in schema:
        return _show(schema["const"])
    if schema.get("type") == "object":
        required = schema.get("required", [])
        return "a mapping with " + " and ".join(f"'{k}'" for k in required)
    if schema.get("type") == "string":
        return "text"
    return "another form"


def _show(value) -> str:
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"'{text}'"

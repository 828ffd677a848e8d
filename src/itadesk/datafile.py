"""Reading the YAML/JSON files officers write (agency profile, results, progress, OIT evidence).

One place turns a missing file, a wrong encoding or a syntax error into an InputError that
names the file and, for syntax errors, the line.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from itadesk.errors import InputError


def parse_yaml_or_json(data: bytes | str, source: str, *, as_json: bool = False) -> object:
    """The parsed content; InputError with the file and line when it is not UTF-8 or not valid."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError.single("ไฟล์ต้องเข้ารหัส UTF-8", source) from None
    try:
        return json.loads(data) if as_json else yaml.safe_load(data)
    except (ValueError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else getattr(exc, "lineno", None)  # YAML counts from 0, JSON from 1
        raise InputError.single(
            "รูปแบบไฟล์ไม่ถูกต้อง", source, f"บรรทัด {line}" if line else None
        ) from None


def read_yaml_or_json(path: str | Path, missing: str = "ไม่พบไฟล์") -> object:
    """Read and parse a .yaml/.yml/.json file; ``missing`` is the message when it does not exist."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError.single(missing, str(path)) from None
    except IsADirectoryError:
        raise InputError.single("เป็นโฟลเดอร์ ไม่ใช่ไฟล์", str(path)) from None
    return parse_yaml_or_json(data, str(path), as_json=path.suffix.lower() == ".json")

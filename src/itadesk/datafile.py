"""Reading the YAML/JSON files officers write (agency profile, results, progress, OIT evidence).

One place turns a missing file, a wrong encoding, a syntax error or a file beyond the limits
(:mod:`itadesk.limits`) into an InputError that names the file and, for syntax errors, the line.
YAML is read with a safe loader that refuses aliases (``*name``: the "billion laughs" bomb) and
nesting deeper than ``LIMITS.max_depth``; JSON's nesting is measured before it is parsed, and
``NaN``/``Infinity``/numbers too large for a float are refused. Lone surrogates (``"\\ud800"``)
are refused; other control characters are cleaned from every string.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import yaml

from itadesk import limits
from itadesk.errors import InputError
from itadesk.text import clean_text

# A string (closed or not: an unclosed one runs to the end, so the scan stays linear) or a bracket.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"?|[\[\]{}]', re.DOTALL)
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Refused(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line = message, line


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader without aliases and with a nesting limit."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML's hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused("ไฟล์ YAML ใช้การอ้างอิงซ้ำ (*alias) ซึ่งไม่รองรับ ให้เขียนค่าเต็มแทน",
                           event.start_mark.line + 1)
        self._depth += 1
        self._nodes += 1
        if self._nodes > limits.active().max_nodes:
            raise _Refused(f"ไฟล์มีรายการเกิน {limits.active().max_nodes:,} รายการ", self.peek_event().start_mark.line + 1)
        if self._depth > limits.active().max_depth:
            raise _Refused(f"ไฟล์ซ้อนกันลึกเกิน {limits.active().max_depth} ชั้น", self.peek_event().start_mark.line + 1)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _json_depth(text: str) -> int:
    """The deepest nesting of brackets outside strings, without recursion."""
    depth = deepest = 0
    for token in _TOKENS.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif bracket in ("]", "}"):
            depth -= 1
    return deepest


def _refuse_constant(name: str):
    raise _Refused(f"ตัวเลขต้องเป็นค่าจำกัด ({name} ใช้ไม่ได้)")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused("ตัวเลขใหญ่เกินไป (ต้องเป็นค่าจำกัด)")
    return value


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 30:
        raise _Refused("ตัวเลขยาวเกินไป")
    return int(text)


def _checked(value: object, count: list[int]) -> object:
    """Strings cleaned of control characters, lone surrogates refused, entries counted (iteratively)."""
    most = limits.active().max_nodes
    stack: list[object] = [value]
    while stack:
        node = stack.pop()
        count[0] += 1
        if count[0] > most:
            raise _Refused(f"ไฟล์มีรายการเกิน {most:,} รายการ")
        if isinstance(node, dict):
            for key in list(node):
                item = node[key]
                if isinstance(key, str) and _SURROGATE.search(key):
                    raise _Refused("มีอักขระที่ไม่ถูกต้อง (surrogate) ในชื่อหัวข้อ")
                if isinstance(item, str):
                    node[key] = _clean(item)
                else:
                    stack.append(item)
        elif isinstance(node, list):
            for i, item in enumerate(node):
                if isinstance(item, str):
                    node[i] = _clean(item)
                else:
                    stack.append(item)
        elif isinstance(node, float) and not math.isfinite(node):
            raise _Refused("ตัวเลขต้องเป็นค่าจำกัด (.inf และ .nan ใช้ไม่ได้)")
    return value


def _clean(text: str) -> str:
    if _SURROGATE.search(text):
        raise _Refused("มีอักขระที่ไม่ถูกต้อง (surrogate) ในข้อความ")
    if len(text) > limits.active().max_cell_chars:
        raise _Refused(f"ข้อความยาวเกิน {limits.active().max_cell_chars:,} ตัวอักษร")
    return clean_text(text)


def parse_yaml_or_json(data: bytes | str, source: str, *, as_json: bool = False) -> object:
    """The parsed content; InputError with the file and line when it is not UTF-8, not valid or beyond the limits."""
    if isinstance(data, bytes):
        if len(data) > limits.active().max_bytes:
            raise too_big(len(data), source)
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InputError.single("ไฟล์ต้องเข้ารหัส UTF-8", source) from None
    elif len(data) > limits.active().max_bytes:
        raise too_big(len(data), source)
    try:
        if as_json:
            if _json_depth(data) > limits.active().max_depth:
                raise _Refused(f"ไฟล์ซ้อนกันลึกเกิน {limits.active().max_depth} ชั้น")
            parsed = json.loads(data, parse_constant=_refuse_constant, parse_float=_finite_float,
                                parse_int=_bounded_int)
        else:
            loader = _BoundedLoader(data)
            try:
                parsed = loader.get_single_data()
            finally:
                loader.dispose()
        return _checked(parsed, [0])
    except _Refused as refused:
        raise InputError.single(refused.message, source, f"บรรทัด {refused.line}" if refused.line else None) from None
    except (ValueError, yaml.YAMLError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else getattr(exc, "lineno", None)  # YAML counts from 0, JSON from 1
        raise InputError.single(
            "รูปแบบไฟล์ไม่ถูกต้อง", source, f"บรรทัด {line}" if line else None
        ) from None


def too_big(size: int, source: str) -> InputError:
    return InputError.single(f"ไฟล์ใหญ่เกิน {limits.active().max_bytes / limits.MB:g} MB", source, value=f"{size:,} ไบต์")


def read_user_file(path: str | Path, missing: str = "ไม่พบไฟล์", source: str | None = None) -> bytes:
    """The bytes of a user's file, refused (InputError) when missing, a folder or over the size limit."""
    path = Path(path)
    source = source or str(path)
    try:
        size = path.stat().st_size
        if size > limits.active().max_bytes:
            raise too_big(size, source)
        with path.open("rb") as handle:
            data = handle.read(limits.active().max_bytes + 1)
    except FileNotFoundError:
        raise InputError.single(missing, source) from None
    except IsADirectoryError:
        raise InputError.single("เป็นโฟลเดอร์ ไม่ใช่ไฟล์", source) from None
    except OSError:
        raise InputError.single("อ่านไฟล์ไม่ได้", source) from None
    if len(data) > limits.active().max_bytes:
        raise too_big(len(data), source)
    return data


def read_yaml_or_json(path: str | Path, missing: str = "ไม่พบไฟล์") -> object:
    """Read and parse a .yaml/.yml/.json file; ``missing`` is the message when it does not exist."""
    path = Path(path)
    data = read_user_file(path, missing)
    return parse_yaml_or_json(data, str(path), as_json=path.suffix.lower() == ".json")

"""The API's JSON parser: bounded nesting, finite numbers, valid text; a Thai 400 otherwise.

DRF's own JSONParser hands the body to json.load, which recurses once per nesting level (a body
nested a few thousand deep ends in RecursionError, a 500), reads 1e999 as infinity and accepts
lone surrogates ("\\ud800") that no database can store. This one checks the depth before
parsing (settings.API_JSON_MAX_DEPTH), refuses NaN/Infinity and numbers too large for a float,
and refuses text that is not valid Unicode.
"""

from __future__ import annotations

import json
import math
import re

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")


def nesting_depth(text: str) -> int:
    """The deepest nesting of arrays and objects in JSON text (strings skipped), without recursion."""
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"ตัวเลข {text[:20]} ใหญ่เกินไป")
    return value


def _no_constant(name: str):
    raise ValueError(f"{name} ไม่ใช่ตัวเลขที่ใช้ได้")


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > 18:
        raise ValueError(f"ตัวเลข {text[:20]}… ยาวเกินไป")
    return int(text)


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ParseError("ข้อมูล JSON ต้องเข้ารหัสเป็น UTF-8") from None
        limit = settings.API_JSON_MAX_DEPTH
        if nesting_depth(text) > limit:
            raise ParseError(f"ข้อมูล JSON ซ้อนกันลึกเกิน {limit} ชั้น")
        try:
            data = json.loads(text, parse_float=_finite, parse_int=_integer, parse_constant=_no_constant)
            json.dumps(data, ensure_ascii=False).encode("utf-8")     # lone surrogates
        except UnicodeEncodeError:
            raise ParseError("ข้อมูล JSON มีอักขระที่ไม่ถูกต้อง (surrogate ที่ไม่มีคู่)") from None
        except RecursionError:
            raise ParseError(f"ข้อมูล JSON ซ้อนกันลึกเกิน {limit} ชั้น") from None
        except ValueError as exc:
            message = str(exc) if isinstance(exc.args[0], str) and not isinstance(exc, json.JSONDecodeError) else ""
            if isinstance(exc, json.JSONDecodeError):
                message = f"รูปแบบ JSON ไม่ถูกต้อง ที่บรรทัด {exc.lineno} ตำแหน่ง {exc.colno}"
            raise ParseError(message or "รูปแบบ JSON ไม่ถูกต้อง") from None
        return data

"""URL converters: a fiscal year in a URL is four digits (a Buddhist-era year), else the URL is 404.

``<int:…>`` took any number of digits, and a 300-digit year reached the database (500 on SQLite).
"""

from django.urls import register_converter


class FiscalYearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(FiscalYearConverter, "year")

"""Template filters for Thai display: Thai digits, scores, Buddhist-era dates."""

from django import template
from django.utils import timezone

from itadesk.thai import code_text, format_score, thai_date, to_thai_digits

register = template.Library()


@register.filter
def thai_digits(value):
    return to_thai_digits(value)


@register.filter
def code(value):
    """A criteria code in Thai digits, an indicator by its Thai name: O๒๕, ตัวชี้วัดที่ ๒."""
    return code_text(str(value))


@register.filter
def score(value):
    """A score as ITAS prints it, in Thai digits: ๗๒.๙๗."""
    return format_score(value) if value is not None else "-"


@register.filter
def be_date(value):
    """A date or datetime as a Thai long date with the Buddhist-era year."""
    if not value:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)  # stored in UTC; the date an officer means is Bangkok's
    day = value.date() if hasattr(value, "date") else value
    return thai_date(day)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None

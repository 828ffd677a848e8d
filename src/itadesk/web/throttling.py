"""API throttles counted per real client address (client_ip.py) in the shared cache (CACHES)."""

from rest_framework.exceptions import Throttled
from rest_framework.throttling import ScopedRateThrottle

from itadesk.web.client_ip import client_ip


class ClientAddressScopedThrottle(ScopedRateThrottle):
    """ScopedRateThrottle keyed on client_ip(), never on an untrusted X-Forwarded-For.

    The counter lives in Django's default cache, the database cache (or Redis) shared by every
    worker process, so N workers do not give N times the attempts."""

    def get_ident(self, request):
        return client_ip(request)


class ThaiThrottled(Throttled):
    default_detail = "ส่งคำขอบ่อยเกินไป"
    extra_detail_singular = extra_detail_plural = "โปรดลองใหม่ในอีก {wait} วินาที"


class ThaiThrottleMixin:
    """A 429 in Thai, with Retry-After (DRF's own message has no Thai translation)."""

    def throttled(self, request, wait):
        raise ThaiThrottled(wait)

"""Password reset by e-mail ("ลืมรหัสผ่าน"), in Thai, with links from settings.SITE_URL.

Throttled with Django's cache: at most ``PASSWORD_RESET_RATE`` requests an hour for one e-mail
address from one network address, and ``PASSWORD_RESET_RATE_PER_ADDRESS`` from one network
address in all. A throttled request shows the same page as a sent one (nothing says whether an
account exists) and sends nothing.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.shortcuts import redirect

log = logging.getLogger(__name__)
WINDOW = 3600  # seconds


def _count(key: str) -> int:
    """Add one to the counter of ``key`` in this hour's window; the new count."""
    if cache.add(key, 1, WINDOW):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, WINDOW)
        return 1


class PasswordResetView(auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def get_extra_email_context(self):
        return {"site_url": settings.SITE_URL.rstrip("/")}

    def form_valid(self, form):
        address = self.request.META.get("REMOTE_ADDR", "")
        email = form.cleaned_data["email"].strip().lower()
        per_email = _count(f"itadesk:pwreset:{address}:{email}")
        per_address = _count(f"itadesk:pwreset:{address}")
        if per_email > settings.PASSWORD_RESET_RATE or per_address > settings.PASSWORD_RESET_RATE_PER_ADDRESS:
            log.warning("password reset throttled for %s from %s", email, address)
            return redirect(self.get_success_url())
        self.extra_email_context = self.get_extra_email_context()
        return super().form_valid(form)

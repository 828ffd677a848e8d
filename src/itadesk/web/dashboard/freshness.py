"""The dashboard's pages, cached but never older than the data.

A page's body is kept in the dashboard's cache (settings.CACHES["dashboard"]: a database cache
table, or Redis) with the data version it was computed from (``itadesk.web.dataversion``:
renewed by every committed write the dashboard shows). A body whose version is not the current one is computed again, so
the first request after an import or a result save already shows the new numbers.

The key also holds everything else a body depends on: the page, the user's region (system
administrator, or their supervisions), the query string, today (overdue measures), the
criteria files' modification times, and the code's version.
"""

from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone

from itadesk.criteria.loader import DATA_DIR, user_criteria_dir
from itadesk.web import dataversion


def _code_stamp() -> str:
    """The web code and templates as deployed (their newest modification time): a new release
    never serves a body its old templates made."""
    root = Path(__file__).resolve().parent.parent
    newest = max(p.stat().st_mtime_ns for p in root.rglob("*") if p.suffix in (".py", ".html"))
    return f"{metadata.version('itadesk')}-{newest}"


CODE_VERSION = _code_stamp()


def _criteria_stamp() -> list:
    """Every criteria file the loader may read (criteria.loader.criteria_files), by its time."""
    stamp = []
    for folder in (user_criteria_dir(), DATA_DIR):
        for path in folder.glob("*.yaml"):
            try:
                stamp.append((str(path), path.stat().st_mtime_ns))
            except OSError:   # removed in between: not read either
                continue
    return sorted(stamp)


def region_key(request) -> str:
    """Whose region: the country, or the supervisions region_view read."""
    if request.user.is_superuser:
        return "country"
    return ";".join(sorted(f"{s.province}/{s.district}" for s in request.supervisions))


def page_key(page: str, request, params: tuple[str, ...]) -> str:
    """Only the ``params`` the page reads are in the key: any other parameter is the same page,
    not one more cached copy."""
    query = sorted((k, v) for k, v in request.GET.lists() if k in params)
    parts = [page, region_key(request), query, timezone.localdate().isoformat(), _criteria_stamp(), CODE_VERSION]
    return "dashboard:page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def cached_body(page: str, request, params: tuple[str, ...], compute) -> str:
    """``compute()`` (the page's body as text, from the query ``params``), or the cached body if
    computed from the current data version. One cache read (version and body together) on a hit."""
    key = page_key(page, request, params)
    cache = caches["dashboard"]
    found = cache.get_many([dataversion.KEY, key])
    version = dataversion.current(found)
    cached = found.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    body = compute()
    cache.set(key, (version, body), settings.DASHBOARD_CACHE_SECONDS)
    return body

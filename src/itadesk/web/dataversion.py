"""The version of the data the region dashboard shows: a token in the dashboard's cache
(settings.CACHES["dashboard"]), replaced after every committed write to it.

Saves and deletes of the WATCHED models renew it through their signals (``connect``, from the
dashboard app); writers that bypass signals (bulk inserts and updates, ``QuerySet.update``) call
``changed()`` themselves. Anything cached with another version than ``current()`` is stale.
"""

from __future__ import annotations

import secrets

from django.apps import apps
from django.core.cache import caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save

KEY = "dashboard:data-version"
# Everything the dashboard, its weaknesses and its charts read (app_label.Model). Item scores
# (results.EntryScore) are written only by their result set's save and deleted with it, whose
# signals stand for them; watching them too would cost every result save a row-by-row delete.
WATCHED = ("agencies.Agency", "agencies.Supervision", "results.ResultSet", "plans.Plan", "plans.PlanMeasure",
           "progress.Round", "progress.MeasureReport", "oit.CheckRunRecord")


def renew() -> str:
    token = secrets.token_hex(8)
    caches["dashboard"].set(KEY, token, None)
    transaction.get_connection().dataversion_dirty = False
    return token


def changed(**_signal) -> None:
    """The data changed. Outside a transaction: a new version now. Inside one: a new version
    when it commits (registered once per transaction, so a loop of saves costs nothing more),
    and, for a reader in the same transaction, before it reads (``current``)."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        renew()
        return
    connection.dataversion_dirty = True
    if not any(entry[1] is renew for entry in connection.run_on_commit):
        transaction.on_commit(renew)


def current(found: dict) -> str:
    """The version, from ``found`` (the result of a cache read that asked for KEY) unless this
    transaction has written since: then, and when there is none, a new one."""
    version = found.get(KEY)
    if version is None or getattr(transaction.get_connection(), "dataversion_dirty", False):
        version = renew()
    return version


def connect() -> None:
    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(changed, sender=model, dispatch_uid=f"dataversion-save-{label}")
        post_delete.connect(changed, sender=model, dispatch_uid=f"dataversion-delete-{label}")

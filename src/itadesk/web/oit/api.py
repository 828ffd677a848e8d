"""API: an agency's OIT evidence register for a fiscal year, and the prediction of its latest check.

PUT replaces the year's whole register after the same checks as the form (http/https only, at
most five links and a note per item, codes of the year's O-items); any problem answers 400
``{"problems": [...]}`` and nothing is written.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from itadesk.links import MAX_ITEM_LINKS
from itadesk.results import normalize_code
from itadesk.web.agencies.access import EDIT
from itadesk.web.agencies.api import PROBLEMS, agency_for, validated
from itadesk.web.oit.models import CheckRunRecord
from itadesk.web.oit.services import (
    MAX_NOTE_CHARS,
    ItemInput,
    criteria_for,
    items_from_post,
    oit_entries,
    save_items,
    stored_items,
)


class EvidenceItemSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="รหัสข้อ OIT เช่น O1")
    name = serializers.CharField(read_only=True)
    urls = serializers.ListField(child=serializers.CharField(), max_length=MAX_ITEM_LINKS, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=MAX_NOTE_CHARS)


class RegisterSerializer(serializers.Serializer):
    items = EvidenceItemSerializer(many=True)


class LatestCheckSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    finished_at = serializers.DateTimeField(allow_null=True)
    predicted_oit = serializers.FloatField(allow_null=True)
    predicted_indicators = serializers.DictField(child=serializers.FloatField(), allow_null=True)


class RegisterOutSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    items = EvidenceItemSerializer(many=True)
    latest_check = LatestCheckSerializer(allow_null=True)


def _criteria(fiscal_year: int):
    criteria = criteria_for(fiscal_year)
    if criteria is None:
        raise NotFound(f"ไม่มีเกณฑ์การประเมินของปีงบประมาณ {fiscal_year}")
    return criteria


def _register(agency, fiscal_year: int, criteria) -> dict:
    latest = CheckRunRecord.objects.filter(agency=agency, fiscal_year=fiscal_year).order_by("-id").first()
    prediction = latest.oit_prediction() if latest else None
    return {
        "fiscal_year": fiscal_year,
        "items": [{"code": i.code, "name": i.name, "urls": i.urls, "note": i.note}
                  for i in stored_items(agency, fiscal_year, criteria)],
        "latest_check": None if latest is None else {
            "id": latest.pk,
            "finished_at": latest.finished_at,
            "predicted_oit": prediction.oit if prediction else None,
            "predicted_indicators": prediction.indicators if prediction else None,
        },
    }


class EvidenceRegisterView(APIView):
    serializer_class = RegisterOutSerializer

    @extend_schema(tags=["oit"], summary="ลิงก์หลักฐาน OIT ของปีงบประมาณ และผลคาดการณ์ครั้งล่าสุด",
                   responses=RegisterOutSerializer)
    def get(self, request, agency_id: int, fiscal_year: int):
        agency = agency_for(request, agency_id)
        return Response(_register(agency, fiscal_year, _criteria(fiscal_year)))

    @extend_schema(tags=["oit"], summary="แทนที่ลิงก์หลักฐานทั้งปี (ตรวจเหมือนแบบฟอร์ม)",
                   request=RegisterSerializer, responses={200: RegisterOutSerializer, 400: PROBLEMS})
    def put(self, request, agency_id: int, fiscal_year: int):
        agency = agency_for(request, agency_id, EDIT)
        criteria = _criteria(fiscal_year)
        data = validated(RegisterSerializer, request)
        known = {e.code for e in oit_entries(criteria)}
        form: dict[str, str] = {}
        problems = []
        for n, item in enumerate(data["items"], start=1):
            code = normalize_code(item["code"])
            if code not in known:
                problems.append(f"รายการที่ {n}: ไม่มีข้อ OIT รหัสนี้ในปีงบประมาณ {fiscal_year} ({item['code']!r})")
                continue
            for slot, url in enumerate(item.get("urls", []), start=1):
                form[f"url-{code}-{slot}"] = url
            form[f"note-{code}"] = item.get("note", "")
        items: list[ItemInput] = items_from_post(form, criteria)
        problems += [f"{i.code}: {e}" for i in items for e in i.errors]
        if problems:
            raise ValidationError({"problems": problems})
        save_items(agency, request.user, fiscal_year, items, "oit.evidence_saved", source="API")
        return Response(_register(agency, fiscal_year, criteria))

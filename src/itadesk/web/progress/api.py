"""API: progress of an approved plan — read every round and report, write one measure's report.

The same rules as the pages: ``forms.ReportForm`` validates (a cancelled measure needs a
reason, links must be http/https), ``services.save_report`` writes and audits, a locked round
answers 409 and nothing changes. Evidence files are uploaded on the pages only.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from itadesk.web.agencies.access import EDIT
from itadesk.web.agencies.api import DETAIL, PROBLEMS, Conflict, agency_for, validated
from itadesk.web.plans.models import Plan, PlanMeasure
from itadesk.web.progress.forms import ReportForm
from itadesk.web.progress.models import STATUS_CHOICES, MeasureReport, Round
from itadesk.web.progress.services import REPORT_FIELDS, RoundLocked, ensure_rounds, save_report
from itadesk.web.text_input import CleanTextSerializerMixin


class ReportSerializer(serializers.ModelSerializer):
    measure = serializers.IntegerField(source="measure_id", read_only=True)
    files = serializers.SerializerMethodField()
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = MeasureReport
        fields = ["measure", *REPORT_FIELDS, "files", "updated_by", "updated_at"]

    def get_files(self, report) -> list[str]:
        return [f.name for f in report.files.all()]


class RoundSerializer(serializers.ModelSerializer):
    locked = serializers.BooleanField(source="is_locked", read_only=True)
    locked_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reports = ReportSerializer(many=True, read_only=True)

    class Meta:
        model = Round
        fields = ["months", "name", "ends_on", "added_by_agency", "locked", "locked_at", "locked_by", "reports"]


class ReportInputSerializer(CleanTextSerializerMixin, serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUS_CHOICES)
    done = serializers.CharField(required=False, allow_blank=True, default="", help_text="ผลการดำเนินการ")
    output = serializers.CharField(required=False, allow_blank=True, default="", help_text="ผลผลิต")
    outcome = serializers.CharField(required=False, allow_blank=True, default="", help_text="ผลลัพธ์/ผลสัมฤทธิ์")
    problems = serializers.CharField(required=False, allow_blank=True, default="", help_text="ปัญหาอุปสรรค")
    suggestions = serializers.CharField(required=False, allow_blank=True, default="", help_text="ข้อเสนอแนะ")
    reason = serializers.CharField(required=False, allow_blank=True, default="",
                                   help_text="เหตุผล (ต้องมีเมื่อสถานะเป็น cancelled)")
    links = serializers.ListField(child=serializers.CharField(), required=False, default=list,
                                  help_text="ลิงก์หลักฐาน http/https")


def _plan(agency, plan_year: int) -> Plan:
    plan = Plan.objects.filter(agency=agency, plan_year=plan_year).first()
    if plan is None:
        raise NotFound("ไม่พบมาตรการของปีนี้")
    return plan


def _approved_plan(agency, plan_year: int) -> Plan:
    plan = _plan(agency, plan_year)
    if plan.status != Plan.APPROVED:
        raise Conflict("มาตรการนี้ยังไม่อนุมัติ จึงยังไม่มีการติดตามผลการดำเนินการ")
    return plan


class ProgressView(APIView):
    @extend_schema(tags=["progress"],
                   summary="ทุกรอบรายงานของมาตรการ พร้อมผลรายมาตรการ (มาตรการที่ยังไม่อนุมัติ: รายการว่าง)",
                   responses={200: RoundSerializer(many=True)})
    def get(self, request, agency_id: int, plan_year: int):
        plan = _plan(agency_for(request, agency_id), plan_year)
        if plan.status != Plan.APPROVED:
            return Response([])
        ensure_rounds(plan)
        rounds = plan.rounds.select_related("locked_by").prefetch_related(
            "reports__files", "reports__updated_by")
        return Response(RoundSerializer(rounds, many=True).data)


class MeasureReportView(APIView):
    @extend_schema(
        tags=["progress"], summary="บันทึกผลการดำเนินการของมาตรการในรอบหนึ่ง (แทนที่ของเดิม)",
        request=ReportInputSerializer,
        responses={200: ReportSerializer, 400: PROBLEMS,
                   409: OpenApiResponse(DETAIL, description="รอบนี้ล็อกแล้ว หรือมาตรการยังไม่อนุมัติ")},
    )
    def put(self, request, agency_id: int, plan_year: int, months: int, measure_pk: int):
        agency = agency_for(request, agency_id, EDIT)
        plan = _approved_plan(agency, plan_year)
        ensure_rounds(plan)
        rnd = get_object_or_404(Round, plan=plan, months=months)
        measure = get_object_or_404(PlanMeasure, plan=plan, pk=measure_pk)
        data = validated(ReportInputSerializer, request)
        form = ReportForm(data={**data, "links": "\n".join(data["links"])})
        if not form.is_valid():
            raise ValidationError({"problems": [f"{field}: {message}" for field, messages in form.errors.items()
                                                for message in messages]})
        try:
            save_report(rnd, measure, form.report_values(), [], request.user)
        except RoundLocked as exc:
            raise Conflict(f"{exc.round.name} ล็อกแล้ว ต้องให้ผู้ดูแลหน่วยงานปลดล็อกก่อน") from None
        report = MeasureReport.objects.filter(round=rnd, measure=measure).first()
        if report is None:   # "not started" with nothing written: there is nothing to store
            return Response({"measure": measure.pk, **{f: data[f] for f in REPORT_FIELDS}, "files": []})
        return Response(ReportSerializer(report).data)

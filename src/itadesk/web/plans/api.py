"""API: measures plans — generate from the analysis, read, replace the measures, approve.

The same services and form rules as the plan pages (``services.save_plan``/``approve_plan``,
``forms.MeasureForm``/``ApproveForm``): a change carries the ``version`` the plan was read with;
if someone saved in between, or the plan is approved, the answer is 409 and nothing changes.
"""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from itadesk.web.agencies.access import EDIT
from itadesk.web.agencies.api import DETAIL, PROBLEMS, Conflict, agency_for, validated
from itadesk.web.plans.forms import MAX_MEASURES, ApproveForm, MeasureForm, theme_choices
from itadesk.web.plans.models import Plan, PlanMeasure
from itadesk.web.plans.services import (
    MeasuresHaveProgress,
    PlanConflict,
    PlanLocked,
    StaleForm,
    approve_plan,
    create_plan,
    save_plan,
)
from itadesk.web.results.models import ResultSet
from itadesk.web.text_input import CleanTextSerializerMixin


class TargetSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    score = serializers.FloatField(allow_null=True)
    status = serializers.CharField()


class MeasureSerializer(serializers.ModelSerializer):
    steps = serializers.ListField(child=serializers.CharField())
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = PlanMeasure
        fields = ["id", "theme", "measure_id", "name", "steps", "responsible", "period", "monitoring", "targets"]


class PlanSummarySerializer(serializers.ModelSerializer):
    measure_count = serializers.IntegerField(source="measures.count", read_only=True)

    class Meta:
        model = Plan
        fields = ["plan_year", "assessed_year", "status", "version", "approved_by", "approved_at", "updated_at",
                  "measure_count"]


class PlanSerializer(serializers.ModelSerializer):
    measures = MeasureSerializer(many=True, read_only=True)
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Plan
        fields = ["plan_year", "assessed_year", "status", "version", "approved_by", "approved_at",
                  "updated_by", "updated_at", "measures"]


class GenerateSerializer(serializers.Serializer):
    assessed_year = serializers.IntegerField(help_text="ปีงบประมาณของผลคะแนนที่ใช้จัดทำมาตรการ")


class MeasureInputSerializer(CleanTextSerializerMixin, serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True,
                                  help_text="id ของมาตรการเดิมที่คงไว้ (ว่าง = มาตรการใหม่) มาตรการเดิมที่ไม่ได้ส่งมาจะถูกลบ")
    theme = serializers.IntegerField(help_text="ประเด็นที่ ตามเกณฑ์ของปีที่ประเมิน")
    name = serializers.CharField(allow_blank=True)
    steps = serializers.ListField(child=serializers.CharField(allow_blank=True), allow_empty=True)
    responsible = serializers.CharField(required=False, allow_blank=True, default="")
    period = serializers.CharField(required=False, allow_blank=True, default="")
    monitoring = serializers.CharField(required=False, allow_blank=True, default="")


class PlanUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="version ที่อ่านมา ถ้ามีผู้อื่นบันทึกไปก่อนจะได้ 409")
    measures = MeasureInputSerializer(many=True, allow_empty=True,
                                      help_text="รายการมาตรการทั้งหมดตามลำดับที่ต้องการ (แทนที่ของเดิม)")


class ApproveSerializer(CleanTextSerializerMixin, serializers.Serializer):
    version = serializers.IntegerField(help_text="version ที่อ่านมา ถ้ามีผู้อื่นบันทึกไปก่อนจะได้ 409")
    approved_by = serializers.CharField(required=False, allow_blank=True,
                                        help_text="ชื่อผู้อนุมัติ (ว่าง = ผู้อนุมัติที่ตั้งไว้ของหน่วยงาน)")
    approved_on = serializers.DateField(required=False, help_text="วันที่อนุมัติ (ว่าง = วันนี้)")


def _plan(agency, plan_year: int) -> Plan:
    plan = Plan.objects.select_related("agency", "updated_by").filter(agency=agency, plan_year=plan_year).first()
    if plan is None:
        raise NotFound(f"ไม่มีมาตรการปีงบประมาณ {plan_year}")
    return plan


def _locked(plan: Plan) -> Conflict:
    return Conflict(f"มาตรการปีงบประมาณ {plan.plan_year} อนุมัติแล้ว แก้ไขไม่ได้ "
                    "(ผู้ดูแลหน่วยงานต้องเปิดแก้ไขก่อน) ไม่มีการเปลี่ยนแปลงใด ๆ")


def _stale(plan: Plan, version: int) -> Conflict:
    by = plan.updated_by.get_username() if plan.updated_by else "ผู้ใช้อื่น"
    return Conflict(f"มาตรการนี้ถูกบันทึกโดย {by} หลังจากที่อ่าน (version ที่ส่งมา {version}, ล่าสุด {plan.version}) "
                    "ไม่มีการเปลี่ยนแปลงใด ๆ กรุณาอ่านใหม่แล้วแก้ไขอีกครั้ง")


def _check_current(plan: Plan, version: int) -> None:
    if plan.status == Plan.APPROVED:
        raise _locked(plan)
    if version != plan.version:
        raise _stale(plan, version)


def _measure_inputs(plan: Plan, measures: list[dict]):
    """The measures checked with the page's form rules; 400 with every problem otherwise."""
    themes = theme_choices(plan)
    existing = set(plan.measures.values_list("pk", flat=True))
    problems, inputs = [], []
    if not measures:
        problems.append("measures: มาตรการต้องมีอย่างน้อย ๑ มาตรการ")
    if len(measures) > MAX_MEASURES:
        problems.append(f"measures: มาตรการมากเกิน {MAX_MEASURES} มาตรการ")
    seen: set[int] = set()
    for i, m in enumerate(measures):
        form = MeasureForm(data={**m, "id": m.get("id") or "", "steps": "\n".join(m["steps"])}, themes=themes)
        if not form.is_valid():
            problems += [f"measures[{i}].{field}: {msg}" for field, msgs in form.errors.items() for msg in msgs]
            continue
        item = form.as_input()
        if item.id is not None and (item.id not in existing or item.id in seen):
            problems.append(f"measures[{i}].id: ไม่มีมาตรการ id {item.id} ในมาตรการนี้ หรือส่งซ้ำ")
            continue
        if item.id is not None:
            seen.add(item.id)
        inputs.append(item)
    if problems:
        raise ValidationError({"problems": problems})
    return inputs, existing - seen


class PlanList(APIView):
    @extend_schema(tags=["plans"], summary="มาตรการของหน่วยงาน", responses=PlanSummarySerializer(many=True))
    def get(self, request, agency_id: int):
        agency = agency_for(request, agency_id)
        return Response(PlanSummarySerializer(agency.plans.all(), many=True).data)

    @extend_schema(
        tags=["plans"], summary="จัดทำมาตรการจากผลการวิเคราะห์ (แทนที่ฉบับร่างเดิม)", request=GenerateSerializer,
        responses={201: PlanSerializer, 400: PROBLEMS,
                   409: OpenApiResponse(DETAIL, description="มาตรการของปีนั้นอนุมัติแล้ว")},
    )
    def post(self, request, agency_id: int):
        agency = agency_for(request, agency_id, EDIT)
        year = validated(GenerateSerializer, request)["assessed_year"]
        if not ResultSet.objects.filter(agency=agency, fiscal_year=year).exists():
            raise ValidationError({"problems": [f"assessed_year: ยังไม่มีผลคะแนนปีงบประมาณ {year} ของหน่วยงานนี้"]})
        approved = Plan.objects.filter(agency=agency, assessed_year=year, status=Plan.APPROVED).first()
        if approved:
            raise _locked(approved)
        try:
            plan = create_plan(agency, year, request.user)
        except MeasuresHaveProgress as exc:
            raise Conflict(exc.message) from None
        if plan.status == Plan.APPROVED:  # create_plan never replaces an approved plan
            raise _locked(plan)
        return Response(PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class PlanDetail(APIView):
    @extend_schema(tags=["plans"], summary="มาตรการของปีหนึ่ง พร้อมรายการมาตรการ", responses=PlanSerializer)
    def get(self, request, agency_id: int, plan_year: int):
        agency = agency_for(request, agency_id)
        return Response(PlanSerializer(_plan(agency, plan_year)).data)

    @extend_schema(
        tags=["plans"], summary="แทนที่รายการมาตรการ (ต้องส่ง version ที่อ่านมา)", request=PlanUpdateSerializer,
        responses={200: PlanSerializer, 400: PROBLEMS,
                   409: OpenApiResponse(DETAIL, description="version ไม่ใช่ฉบับล่าสุด หรือมาตรการอนุมัติแล้ว")},
    )
    def put(self, request, agency_id: int, plan_year: int):
        agency = agency_for(request, agency_id, EDIT)
        plan = _plan(agency, plan_year)
        data = validated(PlanUpdateSerializer, request)
        _check_current(plan, data["version"])
        measures, deleted = _measure_inputs(plan, data["measures"])
        try:
            save_plan(plan, data["version"], measures, deleted, request.user)
        except PlanLocked as exc:
            raise _locked(exc.plan) from None
        except PlanConflict as exc:
            raise _stale(exc.plan, data["version"]) from None
        except StaleForm:  # a measure was added or removed in between without a version change
            raise Conflict("รายการมาตรการไม่ตรงกับที่บันทึกไว้ กรุณาอ่านใหม่") from None
        except MeasuresHaveProgress as exc:
            raise Conflict(exc.message) from None
        return Response(PlanSerializer(_plan(agency, plan_year)).data)


class PlanApprove(APIView):
    @extend_schema(
        tags=["plans"], summary="อนุมัติมาตรการ (ผู้แก้ไขหรือผู้ดูแลหน่วยงาน)", request=ApproveSerializer,
        responses={200: PlanSerializer, 400: PROBLEMS,
                   409: OpenApiResponse(DETAIL, description="อนุมัติแล้ว หรือ version ไม่ใช่ฉบับล่าสุด")},
    )
    def post(self, request, agency_id: int, plan_year: int):
        agency = agency_for(request, agency_id, EDIT)
        plan = _plan(agency, plan_year)
        data = validated(ApproveSerializer, request)
        _check_current(plan, data["version"])
        approver = agency.signatories.filter(role="approver").first()
        form = ApproveForm(data={
            "version": data["version"],
            "approved_by": data.get("approved_by") or (approver.name if approver else "")
            or request.user.get_full_name() or request.user.get_username(),
            "approved_on": (data.get("approved_on") or timezone.localdate()).isoformat(),
        })
        if not form.is_valid():
            raise ValidationError({"problems": [f"{f}: {m}" for f, msgs in form.errors.items() for m in msgs]})
        try:
            approve_plan(plan, data["version"], form.cleaned_data["approved_by"], form.cleaned_data["approved_on"],
                         request.user)
        except PlanLocked as exc:
            raise _locked(exc.plan) from None
        except PlanConflict as exc:
            raise _stale(exc.plan, data["version"]) from None
        return Response(PlanSerializer(_plan(agency, plan_year)).data)

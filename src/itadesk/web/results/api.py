"""API: an agency's official scores per fiscal year, and their analysis.

Scores are checked by the core ``check_scores`` with the rules of an uploaded file: every problem
is reported at once (400 ``{"problems": [...]}``) and nothing is written.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from itadesk.analysis_json import analysis_json
from itadesk.errors import InputError, Problem
from itadesk.results import Results, check_scores
from itadesk.web.agencies.access import EDIT
from itadesk.web.agencies.api import DETAIL, PROBLEMS, Conflict, agency_for, validated
from itadesk.web.results.models import ResultSet
from itadesk.web.results.services import (
    REPLACE_NOTE,
    describe_plans,
    needs_confirmation,
    save_results,
    year_analysis,
)

SOURCE = "API"


class ResultSummarySerializer(serializers.ModelSerializer):
    ita = serializers.SerializerMethodField()
    codes = serializers.SerializerMethodField(help_text="จำนวนรายการคะแนน")
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ResultSet
        fields = ["fiscal_year", "ita", "codes", "source", "updated_by", "updated_at"]

    def get_ita(self, result_set: ResultSet) -> float | None:
        value = result_set.scores.get("ITA")
        return None if value is None else float(value)

    def get_codes(self, result_set: ResultSet) -> int:
        return len(result_set.scores)


class ResultSetSerializer(serializers.ModelSerializer):
    scores = serializers.DictField(child=serializers.FloatField(), help_text="รหัส (ITA, IND1, i1, e1, O1 …) → คะแนน")
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ResultSet
        fields = ["fiscal_year", "scores", "source", "updated_by", "updated_at"]


class ScoresInputSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField(help_text="ปีงบประมาณ พ.ศ. เช่น 2567")
    scores = serializers.DictField(
        child=serializers.JSONField(), allow_empty=True,
        help_text="รหัส → คะแนน (ตัวเลข หรือข้อความที่เป็นตัวเลข เลขไทยได้) ตรวจแบบเดียวกับไฟล์ผลคะแนน",
    )
    source = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="ที่มาของคะแนน")


class ScoresUpdateSerializer(ScoresInputSerializer):
    fiscal_year = serializers.IntegerField(required=False, help_text="ถ้าใส่ต้องตรงกับปีใน URL")
    confirm = serializers.BooleanField(
        required=False, default=False,
        help_text="ต้องเป็น true เมื่อแทนที่ผลคะแนนที่มาตรการใช้อยู่ (มิฉะนั้นตอบ 409 พร้อมรายการมาตรการ)")


def checked_results(fiscal_year: int, scores: dict, source: str) -> Results:
    """The scores checked against the year's criteria by the core; 400 with every problem otherwise."""
    try:
        parsed = check_scores(scores, fiscal_year, SOURCE)
    except InputError as exc:
        problems = [str(Problem(p.message, None, p.row, p.value)) for p in exc.problems]
        raise ValidationError({"problems": problems}) from exc
    return Results(parsed.fiscal_year, parsed.scores, (source or SOURCE)[:200])


class ResultList(APIView):
    @extend_schema(tags=["results"], summary="ปีงบประมาณที่มีผลคะแนน", responses=ResultSummarySerializer(many=True))
    def get(self, request, agency_id: int):
        agency = agency_for(request, agency_id)
        return Response(ResultSummarySerializer(agency.result_sets.all(), many=True).data)

    @extend_schema(
        tags=["results"], summary="บันทึกผลคะแนนของปีใหม่", request=ScoresInputSerializer,
        responses={201: ResultSetSerializer, 400: PROBLEMS,
                   409: OpenApiResponse(DETAIL, description="มีผลของปีนี้แล้ว ใช้ PUT เพื่อแทนที่")},
    )
    def post(self, request, agency_id: int):
        agency = agency_for(request, agency_id, EDIT)
        data = validated(ScoresInputSerializer, request)
        results = checked_results(data["fiscal_year"], data["scores"], data.get("source", ""))
        if ResultSet.objects.filter(agency=agency, fiscal_year=results.fiscal_year).exists():
            raise Conflict(f"มีผลคะแนนปีงบประมาณ {results.fiscal_year} แล้ว "
                           f"ใช้ PUT /api/agencies/{agency.pk}/results/{results.fiscal_year}/ เพื่อแทนที่")
        result_set = save_results(agency, request.user, results)
        return Response(ResultSetSerializer(result_set).data, status=status.HTTP_201_CREATED)


class ResultDetail(APIView):
    @extend_schema(tags=["results"], summary="ผลคะแนนของปีหนึ่ง", responses=ResultSetSerializer)
    def get(self, request, agency_id: int, year: int):
        agency = agency_for(request, agency_id)
        result_set = ResultSet.objects.filter(agency=agency, fiscal_year=year).first()
        if result_set is None:
            raise NotFound(f"ไม่มีผลคะแนนปีงบประมาณ {year}")
        return Response(ResultSetSerializer(result_set).data)

    @extend_schema(
        tags=["results"], summary="บันทึกหรือแทนที่ผลคะแนนของปีหนึ่ง", request=ScoresUpdateSerializer,
        responses={200: ResultSetSerializer, 201: ResultSetSerializer, 400: PROBLEMS,
                   409: OpenApiResponse(DETAIL, description="ผลคะแนนนี้ใช้ในมาตรการ ส่ง confirm: true เพื่อยืนยัน")},
    )
    def put(self, request, agency_id: int, year: int):
        agency = agency_for(request, agency_id, EDIT)
        data = validated(ScoresUpdateSerializer, request)
        if data.get("fiscal_year", year) != year:
            raise ValidationError({"problems": [
                f"ปีงบประมาณในข้อมูล ({data['fiscal_year']}) ไม่ตรงกับปีใน URL ({year})"
            ]})
        results = checked_results(year, data["scores"], data.get("source", ""))
        plans = needs_confirmation(agency, year)
        if plans and not data.get("confirm"):
            raise Conflict(f"ผลคะแนนปีงบประมาณ {year} ใช้ใน{describe_plans(plans)} "
                           f"ส่ง \"confirm\": true เพื่อยืนยันการแทนที่ ({REPLACE_NOTE})")
        existed = ResultSet.objects.filter(agency=agency, fiscal_year=year).exists()
        result_set = save_results(agency, request.user, results)
        return Response(ResultSetSerializer(result_set).data,
                        status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class _Scores(serializers.Serializer):
    ita = serializers.FloatField(allow_null=True)
    tools = serializers.DictField(child=serializers.FloatField(allow_null=True), help_text="IIT, EIT, OIT")
    indicators = serializers.DictField(child=serializers.FloatField(allow_null=True), help_text="ตัวชี้วัดที่ → คะแนน")


class _Mismatch(serializers.Serializer):
    code = serializers.CharField()
    official = serializers.FloatField()
    recomputed = serializers.FloatField()
    basis = serializers.CharField()


class _Theme(serializers.Serializer):
    no = serializers.IntegerField()
    key = serializers.CharField()
    name = serializers.CharField()
    urgent = serializers.ListField(child=serializers.CharField())
    improve = serializers.ListField(child=serializers.CharField())
    keep = serializers.ListField(child=serializers.CharField())
    unscored = serializers.ListField(child=serializers.CharField())
    changes = serializers.DictField(child=serializers.FloatField())


class _CriteriaRef(serializers.Serializer):
    urn = serializers.CharField()
    status = serializers.CharField()


class AnalysisSerializer(serializers.Serializer):
    """Same shape as ``itadesk analyze --json``."""

    fiscal_year = serializers.IntegerField()
    scores = _Scores()
    level = serializers.CharField(allow_null=True)
    level_code = serializers.CharField(allow_null=True)
    passed = serializers.BooleanField()
    mismatches = _Mismatch(many=True)
    themes = _Theme(many=True)
    criteria = _CriteriaRef()


class AnalysisView(APIView):
    @extend_schema(tags=["results"], summary="ผลการวิเคราะห์ (รูปแบบเดียวกับ itadesk analyze --json)",
                   responses=AnalysisSerializer)
    def get(self, request, agency_id: int, year: int):
        agency = agency_for(request, agency_id)
        if not ResultSet.objects.filter(agency=agency, fiscal_year=year).exists():
            raise NotFound(f"ไม่มีผลคะแนนปีงบประมาณ {year}")
        return Response(analysis_json(year_analysis(agency, year)))

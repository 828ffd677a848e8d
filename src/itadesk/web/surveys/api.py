"""API: an agency's practice surveys with their scores (only once enough answers are in), and
the import of an answers file (multipart ``file``: CSV or XLSX, checked like the import page:
400 ``{"problems": [...]}`` by row and column, nothing written)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from itadesk import limits
from itadesk.errors import InputError
from itadesk.web.agencies.access import EDIT
from itadesk.web.agencies.api import PROBLEMS, agency_for
from itadesk.web.surveys.models import Survey
from itadesk.web.surveys.services import import_answers, result_of


class EstimateSerializer(serializers.Serializer):
    score = serializers.FloatField(allow_null=True)
    n = serializers.IntegerField()
    low = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True)


class SurveyOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    fiscal_year = serializers.IntegerField()
    tool = serializers.ChoiceField(choices=Survey.TOOLS)
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    public_url = serializers.CharField()
    answers = serializers.IntegerField(help_text="จำนวนคำตอบ")
    minimum = serializers.IntegerField(help_text="จำนวนคำตอบขั้นต่ำก่อนแสดงคะแนน")
    estimated = serializers.BooleanField(help_text="คะแนนเป็นค่าประมาณการ (ค่าคะแนนต่อคำตอบยังไม่ได้ยืนยัน)")
    score = EstimateSerializer(allow_null=True, help_text="คะแนนของแบบวัด (null จนกว่าจะครบจำนวนขั้นต่ำ)")
    questions = serializers.DictField(child=EstimateSerializer(), allow_null=True)
    indicators = serializers.DictField(child=serializers.FloatField(allow_null=True), allow_null=True)
    sample_needed = serializers.IntegerField(allow_null=True)


def survey_json(request, survey: Survey) -> dict:
    result = result_of(survey)
    scores = result.scores
    tool = result.tool_score

    def est(e):
        return {"score": e.score, "n": e.n, "low": e.low, "high": e.high}

    asked = {q.indicator for q in result.definition.questions_of(survey.tool)} if scores else set()
    return {
        "id": survey.pk, "fiscal_year": survey.fiscal_year, "tool": survey.tool,
        "opens_on": survey.opens_on, "closes_on": survey.closes_on,
        "public_url": request.build_absolute_uri(reverse("survey_answer", args=[survey.token])),
        "answers": result.count, "minimum": result.minimum,
        "estimated": bool(result.definition and result.definition.estimated),
        "score": est(tool) if tool else None,
        "questions": {c: est(e) for c, e in scores.questions.items()} if scores else None,
        "indicators": ({str(n): v for n, v in scores.indicators.items() if n in asked} if scores else None),
        "sample_needed": result.sample.needed if result.sample else None,
    }


class SurveyList(APIView):
    serializer_class = SurveyOutSerializer

    @extend_schema(tags=["surveys"], summary="แบบสำรวจ IIT/EIT ฝึกซ้อมของหน่วยงาน และคะแนน (ประมาณการ)",
                   responses=SurveyOutSerializer(many=True))
    def get(self, request, agency_id: int):
        agency = agency_for(request, agency_id)
        return Response([survey_json(request, s) for s in Survey.objects.filter(agency=agency)])


class SurveyAnswersImport(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    serializer_class = SurveyOutSerializer

    @extend_schema(
        tags=["surveys"], summary="นำเข้าคำตอบจากไฟล์ CSV/XLSX (แถวละผู้ตอบ คอลัมน์ละข้อ)",
        request={"multipart/form-data": inline_serializer("SurveyAnswersFile", {"file": serializers.FileField()})},
        responses={201: inline_serializer("SurveyAnswersImported", {"imported": serializers.IntegerField(),
                                                                    "survey": SurveyOutSerializer()}),
                   400: PROBLEMS},
    )
    def post(self, request, agency_id: int, survey_id: int):
        agency = agency_for(request, agency_id, EDIT)
        survey = get_object_or_404(Survey, agency=agency, pk=survey_id)
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"problems": ["file: ต้องแนบไฟล์คำตอบ .csv หรือ .xlsx (multipart/form-data)"]})
        too_big = limits.upload_problem(upload.name, upload.size)
        if too_big:
            raise ValidationError({"problems": [too_big]})
        try:
            count = import_answers(survey, request.user, upload.read(limits.active().max_bytes + 1), upload.name)
        except InputError as exc:
            raise ValidationError({"problems": [str(p) for p in exc.problems]}) from None
        return Response({"imported": count, "survey": survey_json(request, survey)}, status=status.HTTP_201_CREATED)

"""Practice surveys: creating them, storing anonymous answers, importing files, one-time codes,
scores with the minimum-count rule, and the predicted ITA. Views and API go through here."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from itadesk.criteria import Criteria, load_criteria
from itadesk.errors import InputError
from itadesk.surveys import load_definition
from itadesk.surveys.answers import read_answers
from itadesk.surveys.definition import SurveyDefinition
from itadesk.surveys.predict import Prediction, oit_input, predict_ita, survey_input
from itadesk.surveys.scoring import SurveyScores, score_answers
from itadesk.web.agencies.models import record
from itadesk.web.surveys.models import Survey, SurveyAnswer, SurveyCode

NONCE_SALT = "itadesk.surveys.nonce"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"   # no 0/O, 1/I: read off a paper slip
CODE_LENGTH = 8                                       # 40 bits


def min_answers() -> int:
    """Answers a survey needs before any score is shown (the setting, never below 5)."""
    return max(5, int(getattr(settings, "SURVEY_MIN_ANSWERS", 10)))


def criteria_for(fiscal_year: int) -> Criteria | None:
    """The year's criteria (cached by the core after the first load), None when there are none."""
    try:
        return load_criteria(fiscal_year)
    except InputError:
        return None


def definition_for(fiscal_year: int) -> tuple[Criteria, SurveyDefinition] | None:
    criteria = criteria_for(fiscal_year)
    if criteria is None:
        return None
    try:
        return criteria, load_definition(criteria)
    except InputError:
        return None


def survey_years() -> list[int]:
    from itadesk.criteria import available_years

    return [y for y in sorted(available_years(), reverse=True) if definition_for(y)]


def create_survey(agency, user, *, fiscal_year: int, tool: str, opens_on, closes_on, population=None,
                  uses_codes: bool = False) -> Survey:
    survey = Survey.objects.create(agency=agency, fiscal_year=fiscal_year, tool=tool, opens_on=opens_on,
                                   closes_on=closes_on, population=population,
                                   uses_codes=uses_codes and tool == Survey.IIT, created_by=user)
    record(agency, user, "survey.created", f"สร้างแบบสำรวจ {tool} ฝึกซ้อม ปีงบประมาณ {fiscal_year}",
           survey=survey.pk, opens_on=str(opens_on), closes_on=str(closes_on))
    return survey


def update_survey(survey: Survey, user, *, opens_on, closes_on, population) -> None:
    survey.opens_on, survey.closes_on, survey.population = opens_on, closes_on, population
    survey.save(update_fields=["opens_on", "closes_on", "population"])
    record(survey.agency, user, "survey.updated", f"แก้ไขแบบสำรวจ {survey.tool} ปีงบประมาณ {survey.fiscal_year}",
           survey=survey.pk, opens_on=str(opens_on), closes_on=str(closes_on))


# --- Answering -------------------------------------------------------------------------------

def new_nonce(survey: Survey) -> str:
    """A signed random value for one rendering of the form (nothing is stored when it is issued)."""
    return signing.Signer(salt=NONCE_SALT).sign(f"{survey.pk}:{secrets.token_urlsafe(16)}")


def nonce_hash(survey: Survey, signed: str) -> str | None:
    """The hash stored with the answer, or None when the nonce is not one of ours for this survey."""
    try:
        value = signing.Signer(salt=NONCE_SALT).unsign(signed)
    except signing.BadSignature:
        return None
    survey_pk, _, _ = value.partition(":")
    if survey_pk != str(survey.pk):
        return None
    return hashlib.sha256(value.encode()).hexdigest()


def code_hash(survey: Survey, code: str) -> str:
    normalized = "".join(code.split()).upper().replace("-", "")
    key = f"{settings.SECRET_KEY}:{survey.token}".encode()
    return hmac.new(key, normalized.encode(), hashlib.sha256).hexdigest()


class CodeRefused(Exception):
    pass


STORED, DUPLICATE = "stored", "duplicate"


def store_web_answer(survey: Survey, digest: str, answers: dict[str, int], code: str | None) -> str:
    """Store one answer: STORED, or DUPLICATE when this form was already sent (nothing new stored).
    Raises CodeRefused when the survey needs a one-time code and this one is unknown or used."""
    try:
        with transaction.atomic():
            SurveyAnswer.objects.create(survey=survey, answered_on=timezone.localdate(), answers=answers,
                                        source=SurveyAnswer.WEB, nonce_hash=digest)
            if survey.uses_codes:
                used = SurveyCode.objects.filter(survey=survey, code_hash=code_hash(survey, code or ""),
                                                 used=False).update(used=True)
                if used != 1:
                    raise CodeRefused
    except IntegrityError:
        return DUPLICATE
    return STORED


def issue_codes(survey: Survey, user, count: int) -> list[str]:
    """``count`` new one-time codes; only their hashes are kept, so the slips print once."""
    codes = set()
    while len(codes) < count:
        codes.add("".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)))
    ordered = sorted(codes)
    SurveyCode.objects.bulk_create([SurveyCode(survey=survey, code_hash=code_hash(survey, c)) for c in ordered])
    record(survey.agency, user, "survey.codes_issued", f"พิมพ์รหัสครั้งเดียว {count} รหัส แบบสำรวจ IIT "
           f"ปีงบประมาณ {survey.fiscal_year}", survey=survey.pk, count=count)
    return [f"{c[:4]}-{c[4:]}" for c in ordered]


def import_answers(survey: Survey, user, data: bytes, name: str) -> int:
    """Answers of a file (CSV/XLSX) added to the survey; InputError and nothing stored on any problem."""
    found = definition_for(survey.fiscal_year)
    if found is None:
        raise InputError.single(f"ไม่มีข้อคำถามของปีงบประมาณ {survey.fiscal_year}", name)
    sheet = read_answers(data, name, found[1], tool=survey.tool)
    day = timezone.localdate()
    with transaction.atomic():
        SurveyAnswer.objects.bulk_create([SurveyAnswer(survey=survey, answered_on=day, answers=row,
                                                       source=SurveyAnswer.IMPORT) for row in sheet.rows])
        record(survey.agency, user, "survey.imported", f"นำเข้าคำตอบ {len(sheet.rows)} ชุด จาก {name[:100]} "
               f"แบบสำรวจ {survey.tool} ปีงบประมาณ {survey.fiscal_year}", survey=survey.pk, count=len(sheet.rows))
    return len(sheet.rows)


# --- Results ---------------------------------------------------------------------------------

@dataclass
class SurveyResult:
    survey: Survey
    count: int
    visible: bool                    # at least min_answers(): scores may be shown
    minimum: int
    scores: SurveyScores | None      # None when not visible (or the year has no questions)
    definition: SurveyDefinition | None
    criteria: Criteria | None

    @property
    def short(self) -> int:
        return max(0, self.minimum - self.count)

    @property
    def tool_score(self):
        return self.scores.tools.get(self.survey.tool) if self.scores else None

    @property
    def sample(self):
        return self.scores.samples.get(self.survey.tool) if self.scores else None


def result_of(survey: Survey) -> SurveyResult:
    count = survey.answers.count()
    minimum = min_answers()
    found = definition_for(survey.fiscal_year)
    criteria, definition = found if found else (None, None)
    visible = count >= minimum
    scores = None
    if definition is not None and visible:
        rows = survey.answers.values_list("answers", flat=True)
        scores = score_answers(definition, rows, {survey.tool: survey.population})
    return SurveyResult(survey, count, visible, minimum, scores, definition, criteria)


@dataclass
class PredictionView:
    fiscal_year: int
    prediction: Prediction | None
    missing: list[str]
    surveys: dict[str, SurveyResult]
    oit_run: object | None


def prediction_for(agency, fiscal_year: int) -> PredictionView:
    """Practice IIT and EIT of the year (each with enough answers) and the year's latest OIT check."""
    from itadesk.web.oit.models import CheckRunRecord

    criteria = criteria_for(fiscal_year)
    results = {s.tool: result_of(s) for s in Survey.objects.filter(agency=agency, fiscal_year=fiscal_year)}
    runs = CheckRunRecord.objects.filter(agency=agency).order_by("-started_at", "-id")
    # The year's latest OIT self-check; else the latest of any year (the practice survey may use an
    # earlier year's questions while the website is checked against this year's items).
    run = runs.filter(fiscal_year=fiscal_year).first() or runs.first()
    missing, tools = [], {}
    for tool in (Survey.IIT, Survey.EIT):
        result = results.get(tool)
        if result is None:
            missing.append(f"ยังไม่มีแบบสำรวจ {tool} ฝึกซ้อม")
        elif not result.visible:
            missing.append(f"แบบสำรวจ {tool} มีคำตอบ {result.count} ชุด ต้องมีอย่างน้อย {result.minimum} ชุด")
        elif survey_input(result.tool_score) is None:
            missing.append(f"แบบสำรวจ {tool} ยังไม่มีคะแนน")
        else:
            tools[tool] = survey_input(result.tool_score)
    if run is None:
        missing.append("ยังไม่ได้ตรวจหลักฐาน OIT (หน้าตรวจความพร้อม OIT)")
    else:
        prediction = run.oit_prediction()
        tools["OIT"] = oit_input(prediction.indicators, [(i.indicator, i.verdict) for i in prediction.items],
                                 prediction.points)
    if missing or criteria is None:
        return PredictionView(fiscal_year, None, missing, results, run)
    estimated = any(r.scores.estimated for r in results.values() if r.scores)
    return PredictionView(fiscal_year, predict_ita(criteria, tools, estimated), [], results, run)


def latest_prediction(agency) -> PredictionView | None:
    """For the agency page: the latest fiscal year with a practice survey."""
    year = Survey.objects.filter(agency=agency).order_by("-fiscal_year").values_list("fiscal_year", flat=True).first()
    return None if year is None else prediction_for(agency, year)

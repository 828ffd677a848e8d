"""The REST API under /api/: same permissions as the pages (see agencies/access.py), token or session auth."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import ObtainAuthToken

import itadesk.web.converters  # noqa: F401 - registers <year:…>
from itadesk.web.agencies import api as agencies
from itadesk.web.oit import api as oit
from itadesk.web.plans import api as plans
from itadesk.web.progress import api as progress
from itadesk.web.results import api as results
from itadesk.web.surveys import api as surveys
from itadesk.web.throttling import ClientAddressScopedThrottle, ThaiThrottleMixin


class TokenView(ThaiThrottleMixin, ObtainAuthToken):
    """A token for a username and password, at most REST_FRAMEWORK's "token" rate per client
    address (client_ip.py: X-Forwarded-For only from trusted proxies; 429 beyond), counted in the
    shared cache, so passwords cannot be guessed at speed however many workers serve."""

    throttle_classes = [ClientAddressScopedThrottle]
    throttle_scope = "token"


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api_schema"), name="api_docs"),
    path("token/", TokenView.as_view(), name="api_token"),
    path("agencies/", agencies.AgencyList.as_view(), name="api_agencies"),
    path("agencies/<int:agency_id>/", agencies.AgencyDetail.as_view(), name="api_agency"),
    path("agencies/<int:agency_id>/results/", results.ResultList.as_view(), name="api_results"),
    path("agencies/<int:agency_id>/results/<year:year>/", results.ResultDetail.as_view(), name="api_result"),
    path("agencies/<int:agency_id>/results/<year:year>/analysis/", results.AnalysisView.as_view(),
         name="api_analysis"),
    path("agencies/<int:agency_id>/plans/", plans.PlanList.as_view(), name="api_plans"),
    path("agencies/<int:agency_id>/plans/<year:plan_year>/", plans.PlanDetail.as_view(), name="api_plan"),
    path("agencies/<int:agency_id>/plans/<year:plan_year>/approve/", plans.PlanApprove.as_view(),
         name="api_plan_approve"),
    path("agencies/<int:agency_id>/oit/<year:fiscal_year>/evidence/", oit.EvidenceRegisterView.as_view(),
         name="api_oit_evidence"),
    path("agencies/<int:agency_id>/plans/<year:plan_year>/progress/", progress.ProgressView.as_view(),
         name="api_progress"),
    path("agencies/<int:agency_id>/plans/<year:plan_year>/progress/<int:months>/measures/<int:measure_pk>/",
         progress.MeasureReportView.as_view(), name="api_progress_report"),
    path("agencies/<int:agency_id>/surveys/", surveys.SurveyList.as_view(), name="api_surveys"),
    path("agencies/<int:agency_id>/surveys/<int:survey_id>/answers/", surveys.SurveyAnswersImport.as_view(),
         name="api_survey_answers"),
]

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

import itadesk.web.converters  # noqa: F401 - registers <year:…>
from itadesk.web import passwords
from itadesk.web.jobs import urls as job_urls
from itadesk.web.progress import next_year
from itadesk.web.surveys import public as survey_public

admin.site.site_header = "itadesk: ผู้ดูแลระบบ"
# Django admin is for system administrators only, never for agency staff.
admin.site.has_permission = lambda request: request.user.is_active and request.user.is_superuser

urlpatterns = [
    path("", include("itadesk.web.home.urls")),   # the home page and an agency's overview
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    # The one-time link of an invitation (agencies/members.py) to set a first password.
    path("password/set/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("password/set/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("region/jobs/", include(job_urls.region_urlpatterns)),
    path("region/", include("itadesk.web.dashboard.urls")),
    path("agencies/", include("itadesk.web.agencies.urls")),
    path("agencies/<int:agency_id>/results/", include("itadesk.web.results.urls")),
    path("agencies/<int:agency_id>/plans/", include("itadesk.web.plans.urls")),
    path("agencies/<int:agency_id>/plans/<year:plan_year>/progress/", include("itadesk.web.progress.urls")),
    # Next year's cycle reads the plan's progress, so it lives in the progress app.
    path("agencies/<int:agency_id>/plans/<year:plan_year>/next/", next_year.next_year, name="plan_next_year"),
    path("agencies/<int:agency_id>/oit/", include("itadesk.web.oit.urls")),
    path("agencies/<int:agency_id>/jobs/", include(job_urls.agency_urlpatterns)),
    path("criteria/", include("itadesk.web.criteria.urls")),
    path("agencies/<int:agency_id>/surveys/", include("itadesk.web.surveys.urls")),
    # The one anonymous route: a practice survey's answer page, found by its unguessable token.
    path("s/<str:token>/", survey_public.answer, name="survey_answer"),
    path("api/", include("itadesk.web.api_urls")),
    path("admin/", admin.site.urls),
]

from django.urls import path

import itadesk.web.converters  # noqa: F401 - registers <year:…>
from itadesk.web.plans import views

urlpatterns = [
    path("generate/<year:assessed_year>/", views.plan_generate, name="plan_generate"),
    path("<year:plan_year>/", views.plan_detail, name="plan"),
    path("<year:plan_year>/edit/", views.plan_edit, name="plan_edit"),
    path("<year:plan_year>/approve/", views.plan_approve, name="plan_approve"),
    path("<year:plan_year>/reopen/", views.plan_reopen, name="plan_reopen"),
    path("<year:plan_year>/memo/", views.plan_memo, name="plan_memo"),
    path("<year:plan_year>/documents/<str:fmt>/", views.plan_document, name="plan_document"),
]

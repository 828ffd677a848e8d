from django.urls import path

from itadesk.web.plans import next_year, views

urlpatterns = [
    path("generate/<int:assessed_year>/", views.generate_plan, name="plan_generate"),
    path("<int:plan_year>/", views.plan_detail, name="plan"),
    path("<int:plan_year>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:plan_year>/approve/", views.plan_approve, name="plan_approve"),
    path("<int:plan_year>/reopen/", views.plan_reopen, name="plan_reopen"),
    path("<int:plan_year>/documents/<str:fmt>/", views.plan_document, name="plan_document"),
    path("<int:plan_year>/next/", next_year.next_year, name="plan_next_year"),
]

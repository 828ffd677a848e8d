from django.urls import path

from itadesk.web.plans import views

urlpatterns = [
    path("generate/<int:assessed_year>/", views.generate_plan, name="plan_generate"),
    path("<int:plan_year>/", views.plan_detail, name="plan"),
    path("<int:plan_year>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:plan_year>/approve/", views.plan_approve, name="plan_approve"),
    path("<int:plan_year>/reopen/", views.plan_reopen, name="plan_reopen"),
    path("<int:plan_year>/documents/<str:fmt>/", views.plan_document, name="plan_document"),
]

from django.urls import path

from itadesk.web.surveys import views

urlpatterns = [
    path("", views.survey_list, name="surveys"),
    path("<int:survey_id>/", views.survey_detail, name="survey"),
    path("<int:survey_id>/edit/", views.survey_edit, name="survey_edit"),
    path("<int:survey_id>/qr.svg", views.survey_qr, name="survey_qr"),
    path("<int:survey_id>/poster.pdf", views.survey_poster, name="survey_poster"),
    path("<int:survey_id>/codes/", views.survey_codes, name="survey_codes"),
    path("<int:survey_id>/import/", views.survey_import, name="survey_import"),
    path("<int:survey_id>/template.xlsx", views.survey_template, name="survey_template"),
    path("prediction/<int:fiscal_year>.pdf", views.prediction_pdf, name="survey_prediction_pdf"),
]

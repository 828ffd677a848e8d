from django.urls import path

import itadesk.web.converters  # noqa: F401 - registers <year:…>
from itadesk.web.results import views

urlpatterns = [
    path("new/", views.enter_results, name="results_new"),
    path("upload/", views.upload_results, name="results_upload"),
    path("template/<year:year>/", views.results_template, name="results_template"),
    path("<year:year>/", views.analysis, name="analysis"),
    path("<year:year>/edit/", views.enter_results, name="results_edit"),
]

from django.urls import path

from itadesk.web.results import views

urlpatterns = [
    path("new/", views.enter_results, name="results_new"),
    path("upload/", views.upload_results, name="results_upload"),
    path("template/<int:year>/", views.results_template, name="results_template"),
    path("<int:year>/", views.analysis, name="analysis"),
    path("<int:year>/edit/", views.enter_results, name="results_edit"),
]

"""Progress of an approved plan, under /agencies/<agency_id>/plans/<plan_year>/progress/."""

from django.urls import path

from itadesk.web.progress import sheet_views, views

urlpatterns = [
    path("", views.overview, name="progress"),
    path("rounds/add/", views.add_round_view, name="progress_add_round"),
    path("sheet/", sheet_views.progress_sheet, name="progress_sheet"),
    path("sheet/import/", sheet_views.progress_sheet_import, name="progress_sheet_import"),
    path("<int:months>/", views.round_view, name="progress_round"),
    path("<int:months>/measures/<int:measure_pk>/", views.measure_view, name="progress_measure"),
    path("<int:months>/lock/", views.lock_view, name="progress_lock"),
    path("<int:months>/unlock/", views.unlock_view, name="progress_unlock"),
    path("<int:months>/memo/", views.memo_view, name="progress_memo"),
    path("<int:months>/results-report/<str:fmt>/", views.results_report_view, name="progress_results_report"),
    path("files/<int:file_id>/", views.file_view, name="progress_file"),
    path("files/<int:file_id>/delete/", views.file_delete_view, name="progress_file_delete"),
]

from django.urls import path

from itadesk.web.jobs import views

# Under agencies/<agency_id>/jobs/
agency_urlpatterns = [
    path("<int:job_id>/", views.agency_job, name="agency_job"),
    path("<int:job_id>/retry/", views.agency_job_retry, name="agency_job_retry"),
    path("<int:job_id>/cancel/", views.agency_job_cancel, name="agency_job_cancel"),
]
# Under region/jobs/
region_urlpatterns = [
    path("", views.region_jobs, name="region_jobs"),
    path("<int:batch_id>/", views.region_job, name="region_job"),
    path("<int:batch_id>/retry/", views.region_job_retry, name="region_job_retry"),
    path("<int:batch_id>/cancel/", views.region_job_cancel, name="region_job_cancel"),
    path("<int:batch_id>/download/", views.region_job_download, name="region_job_download"),
]

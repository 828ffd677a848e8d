from django.urls import path

from itadesk.web.agencies import views

urlpatterns = [
    path("<int:agency_id>/", views.agency_detail, name="agency"),
    path("<int:agency_id>/audit/", views.audit_log, name="audit"),
]

from django.urls import path

from itadesk.web.agencies import members, views

urlpatterns = [
    path("<int:agency_id>/", views.agency_detail, name="agency"),
    path("<int:agency_id>/audit/", views.audit_log, name="audit"),
    path("<int:agency_id>/members/", members.members, name="members"),
    path("<int:agency_id>/members/invite/", members.member_invite, name="member_invite"),
    path("<int:agency_id>/members/<int:member_id>/", members.member_update, name="member_update"),
    path("<int:agency_id>/members/<int:member_id>/remove/", members.member_remove, name="member_remove"),
]

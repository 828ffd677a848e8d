from django.urls import path

from itadesk.web.agencies import audit, members, profile, setup

urlpatterns = [
    path("new/", setup.agency_setup, name="agency_setup"),
    path("new/import/", setup.agency_import, name="agency_import"),
    path("new/template/", setup.agency_import_template, name="agency_import_template"),
    path("supervisors/", setup.supervisors, name="supervisors"),
    path("supervisors/<int:supervision_id>/remove/", setup.supervisor_remove, name="supervisor_remove"),
    path("<int:agency_id>/profile/", profile.agency_profile, name="agency_profile"),
    path("<int:agency_id>/audit/", audit.audit_log, name="audit"),
    path("<int:agency_id>/members/", members.members, name="members"),
    path("<int:agency_id>/members/invite/", members.member_invite, name="member_invite"),
    path("<int:agency_id>/members/<int:member_id>/", members.member_update, name="member_update"),
    path("<int:agency_id>/members/<int:member_id>/remove/", members.member_remove, name="member_remove"),
]

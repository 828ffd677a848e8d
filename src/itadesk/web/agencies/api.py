"""API: the agencies the user may see, and the access check every API view goes through.

Same rules as the pages (``access.py``): an agency the user may not view is answered with 404
so its existence is not revealed; a user who may view it but lacks the level asked for (a
viewer or a supervisor writing) gets 403.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, PermissionDenied, ValidationError

from itadesk.web.agencies import access
from itadesk.web.agencies.models import Agency

NO_EDIT = "บัญชีนี้อ่านข้อมูลของหน่วยงานนี้ได้อย่างเดียว แก้ไขไม่ได้"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "ข้อมูลถูกเปลี่ยนไปแล้ว โปรดอ่านใหม่แล้วลองอีกครั้ง"
    default_code = "conflict"


PROBLEMS = inline_serializer("Problems", {"problems": serializers.ListField(child=serializers.CharField())})
DETAIL = inline_serializer("Detail", {"detail": serializers.CharField()})


def validated(serializer_class, request) -> dict:
    """The request body checked by the serializer; 400 ``{"problems": ["field: message", ...]}`` otherwise."""
    serializer = serializer_class(data=request.data)
    if not serializer.is_valid():
        raise ValidationError({"problems": _flatten(serializer.errors)})
    return serializer.validated_data


def _flatten(errors, prefix: str = "") -> list[str]:
    if isinstance(errors, dict):
        return [p for key, value in errors.items() for p in _flatten(value, f"{prefix}.{key}" if prefix else str(key))]
    if isinstance(errors, list) and errors and not isinstance(errors[0], str):
        return [p for i, value in enumerate(errors) if value for p in _flatten(value, f"{prefix}[{i}]")]
    return [f"{prefix}: {message}" if prefix else str(message) for message in errors]


def agency_for(request, agency_id: int, needed: str = access.VIEW) -> Agency:
    """The agency if the user may act on it at ``needed`` level: 404 if they may not see it, 403 if read-only."""
    agency, _ = access.agency_and_level(request.user, agency_id, access.VIEW)
    if needed != access.VIEW and not access.allows(request.user, agency, needed):
        raise PermissionDenied(NO_EDIT)
    return agency


class AgencySerializer(serializers.ModelSerializer):
    level = serializers.SerializerMethodField(help_text="สิทธิ์ของผู้ใช้: view, edit หรือ admin")

    class Meta:
        model = Agency
        fields = ["id", "name", "type", "district", "province", "office", "reference", "website", "level"]

    def get_level(self, agency: Agency) -> str | None:
        return access.level(self.context["request"].user, agency)


@extend_schema(tags=["agencies"], summary="หน่วยงานที่ผู้ใช้เห็นได้")
class AgencyList(generics.ListAPIView):
    serializer_class = AgencySerializer

    def get_queryset(self):
        return access.visible_agencies(self.request.user)


@extend_schema(tags=["agencies"], summary="ข้อมูลหน่วยงาน")
class AgencyDetail(generics.RetrieveAPIView):
    serializer_class = AgencySerializer
    queryset = Agency.objects.none()  # never used: get_object goes through the access check

    def get_object(self):
        return agency_for(self.request, self.kwargs["agency_id"])

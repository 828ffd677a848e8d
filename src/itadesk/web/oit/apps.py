from django.apps import AppConfig


class OitConfig(AppConfig):
    name = "itadesk.web.oit"
    label = "oit"
    verbose_name = "ตรวจหลักฐาน OIT"

from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "itadesk.web.agencies"
    verbose_name = "หน่วยงาน"

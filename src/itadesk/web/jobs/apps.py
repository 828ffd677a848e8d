from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "itadesk.web.jobs"
    label = "jobs"
    verbose_name = "งานเบื้องหลัง"

from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "itadesk.web.plans"
    verbose_name = "มาตรการ"

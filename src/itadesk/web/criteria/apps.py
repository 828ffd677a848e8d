from django.apps import AppConfig


class CriteriaConfig(AppConfig):
    name = "itadesk.web.criteria"
    label = "criteria_web"
    verbose_name = "เกณฑ์การประเมิน ITA"

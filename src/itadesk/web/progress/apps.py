from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "itadesk.web.progress"
    verbose_name = "ผลการดำเนินการตามมาตรการ"

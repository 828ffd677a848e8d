from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "itadesk.web.surveys"
    label = "surveys"
    verbose_name = "แบบสำรวจ IIT/EIT ฝึกซ้อม"

from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "itadesk.web.results"
    verbose_name = "ผลคะแนน ITA"

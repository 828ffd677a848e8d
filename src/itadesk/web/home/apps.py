from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The pages over every app (home page, an agency's overview) and the demo set-up."""

    name = "itadesk.web.home"
    verbose_name = "หน้าแรก"

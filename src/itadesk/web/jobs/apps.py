from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "itadesk.web.jobs"
    label = "jobs"
    verbose_name = "งานเบื้องหลัง"

    def ready(self) -> None:
        # The Celery app (broker and options from the settings) must be the current one in the web
        # process too, or the tasks would be sent with Celery's defaults.
        from itadesk.web import worker  # noqa: F401

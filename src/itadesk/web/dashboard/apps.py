from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "itadesk.web.dashboard"
    label = "dashboard"
    verbose_name = "ภาพรวมจังหวัดและประเทศ"

    def ready(self):
        from itadesk.web import dataversion

        dataversion.connect()

from django.urls import path

from itadesk.web.criteria import views

urlpatterns = [
    path("", views.criteria_index, name="criteria"),
    path("<int:year>/sheet.xlsx", views.criteria_sheet, name="criteria_sheet"),
    path("import/", views.criteria_import, name="criteria_import"),
]

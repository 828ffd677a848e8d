from django.urls import path

from itadesk.web.home import views

urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/<int:agency_id>/", views.agency_detail, name="agency"),
]

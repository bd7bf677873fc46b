from django.urls import path

from smeplan.web import views

urlpatterns = [
    path("", views.home, name="home"),
]

from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("duty/", views.duty, name="duty"),
    path("duty/new/", views.duty_create, name="duty_create"),
]

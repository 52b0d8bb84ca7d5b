from django.urls import path

from . import views

app_name = "checkpoints"
urlpatterns = [
    path("", views.checkpoints, name="list"),
    path("new/", views.create, name="create"),
    path("<slug:code>/", views.check, name="check"),
    path("<slug:code>/tally/", views.tally, name="tally"),
    path("<slug:code>/edit/", views.edit, name="edit"),
]

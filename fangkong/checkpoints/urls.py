from django.urls import path

from . import views

app_name = "checkpoints"
urlpatterns = [
    path("", views.checkpoints, name="list"),
    path("<slug:code>/", views.check, name="check"),
    path("<slug:code>/tally/", views.tally, name="tally"),
]

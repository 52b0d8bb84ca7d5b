from django.urls import path

from . import views

app_name = "riskareas"
urlpatterns = [
    path("", views.areas, name="list"),
    path("<int:pk>/", views.history, name="history"),
    path("<int:pk>/lift/", views.lift, name="lift"),
]

from django.urls import path

from . import views

app_name = "labtests"
urlpatterns = [
    path("", views.result_list, name="list"),
    path("record/", views.record_page, name="record"),
    path("import/", views.import_page, name="import"),
    path("import/errors.xlsx", views.import_errors, name="import_errors"),
]

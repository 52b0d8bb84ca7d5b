from django.urls import path

from . import views

app_name = "labtests"
urlpatterns = [
    path("", views.result_list, name="list"),
    path("record/", views.record_page, name="record"),
    path("import/", views.import_page, name="import"),
    path("import/<int:pk>/", views.job_page, name="job"),
    path("import/<int:pk>/errors.xlsx", views.job_errors, name="job_errors"),
]

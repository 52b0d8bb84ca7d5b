from django.urls import path

from . import views, views_repushes, views_sheets, views_work

app_name = "screening"
urlpatterns = [
    path("", views.home, name="home"),
    path("batches/", views.batches, name="batches"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/feedback.xlsx", views.feedback, name="feedback"),
    path("batches/<int:pk>/errors.xlsx", views.errors, name="errors"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/mapping/", views.job_mapping, name="job_mapping"),
    path("jobs/<int:pk>/again/", views.job_again, name="job_again"),
    path("mine/", views_work.mine, name="mine"),
    path("records/", views_work.records, name="records"),
    path("records.xlsx", views_work.records_sheet, name="records_sheet"),
    path("records/reassign/", views_work.records_reassign, name="records_reassign"),
    path("records/<int:pk>/", views_work.record, name="record"),
    path("progress/", views_work.progress, name="progress"),
    path("sheets/", views_sheets.sheets, name="sheets"),
    path("sheets/new/", views_sheets.sheet_start, name="sheet_start"),
    path("sheets/<int:pk>/", views_sheets.sheet, name="sheet"),
    path("sheets/<int:pk>/file.xlsx", views_sheets.sheet_file, name="sheet_file"),
    path("overdue/", views_work.overdue, name="overdue"),
    path("repushes/", views_repushes.repushes, name="repushes"),
    path("repushes/sent/", views_repushes.repushes_sent, name="repushes_sent"),
    path("repushes/sheet/", views_repushes.repushes_sheet, name="repushes_sheet"),
]

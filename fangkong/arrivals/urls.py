from django.urls import path

from . import views, views_list

app_name = "arrivals"
urlpatterns = [
    path("", views_list.arrivals, name="list"),
    path("sheet.xlsx", views_list.arrivals_sheet, name="list_sheet"),
    path("overdue/", views.overdue, name="overdue"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("monitoring/<int:obligation_id>/", views.monitoring_day, name="monitoring_day"),
    path("qr/", views.qr_codes, name="qr_codes"),
    path("qr/<str:scope>.svg", views.qr_svg, name="qr_svg"),
    path("report/places/", views.places, name="places"),
    path("report/receipt/<str:token>/", views.receipt, name="receipt"),
    path("report/<str:scope>/", views.report, name="report"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/obligations/<int:obligation_id>/done/", views.complete, name="complete"),
]

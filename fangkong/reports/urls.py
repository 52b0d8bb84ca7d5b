from django.urls import path

from . import views, views_periods

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("day/<str:day>/", views.report_form, name="form"),
    path("day/<str:day>/zero/", views.report_zero, name="zero"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/return/", views.report_return, name="return"),
    path("board/", views.board, name="board"),
    path("board/chase/", views.chase, name="chase"),
    path("periods/", views_periods.periods, name="periods"),
    path("bulletins/", views.bulletins, name="bulletins"),
    path("bulletins/<int:pk>/download/", views.bulletin_download, name="bulletin_download"),
]

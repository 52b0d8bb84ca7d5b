from django.urls import path

from . import views, views_public, views_sites, views_start

app_name = "measures"
urlpatterns = [
    path("", views.overview_page, name="overview"),
    path("list/", views.measure_list_page, name="list"),
    path("list/sheet.xlsx", views.measure_list_download, name="list_sheet"),
    path("overdue/", views.overdue_page, name="overdue"),
    path("start/", views_start.start_page, name="start"),
    path("sites/", views_sites.site_list, name="sites"),
    path("sites/new/", views_sites.site_new, name="site_new"),
    path("sites/<int:pk>/", views.site_page, name="site"),
    path("sites/<int:pk>/edit/", views_sites.site_edit, name="site_edit"),
    path("sites/<int:pk>/readiness/", views_sites.site_readiness, name="site_readiness"),
    path("sites/<int:pk>/rooms/", views_sites.site_rooms, name="site_rooms"),
    path("sites/<int:pk>/rooms/<int:room_id>/", views_sites.room_action, name="room"),
    path("<int:pk>/", views.detail_page, name="detail"),
    path("<int:pk>/checkin/", views.checkin_action, name="checkin"),
    path("<int:pk>/link/", views.link_action, name="link"),
    path("<int:pk>/result/", views.result_action, name="result"),
    path("<int:pk>/extend/", views.extend_action, name="extend"),
    path("<int:pk>/release/", views.release_action, name="release"),
    path("<int:pk>/transfer/", views.transfer_action, name="transfer"),
    path("<int:pk>/replan/", views.replan_action, name="replan"),
    path("c/<str:token>/", views_public.personal_checkin, name="personal_checkin"),
]

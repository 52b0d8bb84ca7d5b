from django.urls import path

from . import views, views_public

app_name = "measures"
urlpatterns = [
    path("", views.overview_page, name="overview"),
    path("list/", views.measure_list_page, name="list"),
    path("overdue/", views.overdue_page, name="overdue"),
    path("sites/<int:pk>/", views.site_page, name="site"),
    path("<int:pk>/", views.detail_page, name="detail"),
    path("<int:pk>/checkin/", views.checkin_action, name="checkin"),
    path("<int:pk>/link/", views.link_action, name="link"),
    path("<int:pk>/result/", views.result_action, name="result"),
    path("<int:pk>/extend/", views.extend_action, name="extend"),
    path("<int:pk>/release/", views.release_action, name="release"),
    path("<int:pk>/transfer/", views.transfer_action, name="transfer"),
    path("c/<str:token>/", views_public.personal_checkin, name="personal_checkin"),
]

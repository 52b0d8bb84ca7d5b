from django.urls import include, path

from config.api import api
from fangkong.checkpoints.api import screening_post
from fangkong.core import views as core_views

urlpatterns = [
    path("", include("fangkong.core.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The checkpoint check, the busiest write, ahead of the API framework (decision 0020).
    path("api/v1/checkpoints/<slug:code>/screenings", screening_post),
    path("api/v1/", api.urls),
]

APP_URLS = [
    ("accounts/", "fangkong.accounts.urls"),
    ("regions/", "fangkong.regions.urls"),
    ("people/", "fangkong.people.urls"),
    ("org/", "fangkong.org.urls"),
    ("audit/", "fangkong.audit.urls"),
    ("arrivals/", "fangkong.arrivals.urls"),
    ("checkpoints/", "fangkong.checkpoints.urls"),
    ("riskareas/", "fangkong.riskareas.urls"),
    ("screening/", "fangkong.screening.urls"),
    ("measures/", "fangkong.measures.urls"),
    ("labtests/", "fangkong.labtests.urls"),
    ("policies/", "fangkong.policies.urls"),
    ("notifications/", "fangkong.notifications.urls"),
    ("reports/", "fangkong.reports.urls"),
    ("dashboard/", "fangkong.dashboards.urls"),
]
urlpatterns += [path(prefix, include(module)) for prefix, module in APP_URLS]

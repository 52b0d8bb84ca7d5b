from django.urls import path

from .views import auth, profile

app_name = "accounts"
urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("login/verify/", auth.login_totp, name="login_totp"),
    path("logout/", auth.logout_view, name="logout"),
    path("profile/", profile.profile, name="profile"),
    path("profile/password/", profile.password_change, name="password_change"),
    path("profile/two-factor/", profile.totp_setup, name="totp_setup"),
    path("profile/two-factor/disable/", profile.totp_disable, name="totp_disable"),
]

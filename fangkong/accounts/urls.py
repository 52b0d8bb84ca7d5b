from django.urls import path

from .views import auth, profile, tokens, users

app_name = "accounts"
urlpatterns = [
    path("login/", auth.login_view, name="login"),
    path("login/verify/", auth.login_totp, name="login_totp"),
    path("logout/", auth.logout_view, name="logout"),
    path("profile/", profile.profile, name="profile"),
    path("profile/password/", profile.password_change, name="password_change"),
    path("profile/two-factor/", profile.totp_setup, name="totp_setup"),
    path("profile/two-factor/disable/", profile.totp_disable, name="totp_disable"),
    path("users/", users.users, name="users"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/", users.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", users.user_set_active, name="user_set_active"),
    path("users/<int:pk>/unlock/", users.user_unlock, name="user_unlock"),
    path("users/<int:pk>/password-reset/", users.user_password_reset, name="user_password_reset"),
    path("users/<int:pk>/two-factor-reset/", users.user_totp_reset, name="user_totp_reset"),
    path("users/<int:pk>/roles/", users.user_role_add, name="user_role_add"),
    path(
        "users/<int:pk>/roles/<int:assignment_pk>/remove/",
        users.user_role_remove,
        name="user_role_remove",
    ),
    path("api-tokens/", tokens.api_tokens, name="api_tokens"),
    path("api-tokens/<int:pk>/revoke/", tokens.api_token_revoke_view, name="api_token_revoke"),
]

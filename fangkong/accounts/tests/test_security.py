import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

from django.test import Client

ROOT = Path(__file__).resolve().parents[3]


def html_pages(world):
    grid = world.user("grid_worker").pk
    return [
        "/accounts/login/",
        "/accounts/profile/",
        "/accounts/profile/password/",
        "/accounts/profile/two-factor/",
        "/accounts/users/",
        f"/accounts/users/{grid}/",
        "/accounts/users/new/",
        "/accounts/api-tokens/",
        "/accounts/users/999999/",  # 404 page
    ]


def assert_protected(response, path):
    assert response["Content-Type"].startswith("text/html"), path
    assert "default-src 'self'" in response["Content-Security-Policy"], path
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"], path
    assert response["X-Frame-Options"] == "DENY", path
    assert response["X-Content-Type-Options"] == "nosniff", path


def test_every_html_response_carries_csp_and_frame_options(admin_client, world):
    for path in html_pages(world):
        assert_protected(admin_client.get(path), path)
    anonymous = Client()
    assert_protected(anonymous.get("/accounts/login/"), "/accounts/login/")
    failed = anonymous.post("/accounts/login/", {"username": "x", "password": "y"})
    assert_protected(failed, "failed login")
    no_permission = Client()
    no_permission.force_login(world.user("grid_worker"))
    forbidden = no_permission.get("/accounts/users/")
    assert forbidden.status_code == 403
    assert_protected(forbidden, "403 page")


def test_login_form_is_csrf_protected(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "hq", "password": "x"})
    assert response.status_code == 403


def test_login_page_needs_no_script(client, db):
    assert "<script" not in client.get("/accounts/login/").content.decode()


def test_deploy_check_is_clean_under_production_settings(tmp_path):
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    # Only this project's production settings: other tests may leave variables behind (a
    # browser test sets DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy check rightly refuses).
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "FANGKONG_"))}
    env = {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "FANGKONG_ENV": "production",
        "FANGKONG_SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
        "FANGKONG_FIELD_KEY": "x",
        "FANGKONG_ALLOWED_HOSTS": "example.org",
        "FANGKONG_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

"""Secure headers on every response, and production settings that pass Django's deploy check."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["core:home", "core:login"])
def test_pages_send_security_headers(client, url_name):
    response = client.get(reverse(url_name))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "omzien.settings.production",
        "OMZIEN_SECRET_KEY": "k" * 20 + "-Zq8!vX#2mP@4nL%7rT&9wY*1bH^3cF(5dJ)" + "x" * 10,
        "OMZIEN_ALLOWED_HOSTS": "omzien.gemeente.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "omzien.settings.production"}
    env.pop("OMZIEN_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
        capture_output=True, text=True, check=False,
    )
    assert result.returncode != 0
    assert "OMZIEN_SECRET_KEY" in result.stderr


def test_production_static_files_collect_with_hashed_names(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "omzien.settings.production",
        "OMZIEN_SECRET_KEY": "collectstatic-test-" + "z" * 40,
        "OMZIEN_STATIC_ROOT": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("vendor/utrecht/components/index.*.css"))

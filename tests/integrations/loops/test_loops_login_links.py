"""The one-time login link of `send_login_code_email`, through Django's own test client and sessions."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client, override_settings

from app_integrations.loops.shortcuts import send_login_code_email

# Models import once Django is set up (the `user` fixture does that), so they are fetched per test.
pytestmark = pytest.mark.usefixtures("integrations_db")


@pytest.fixture
def login_links() -> Any:
    from app_integrations.django import login_links

    return login_links


@pytest.fixture
def LoginToken() -> Any:
    from app_integrations.django.models import LoginToken

    return LoginToken


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def signed_in_user_id(client: Client) -> Any:
    return client.session.get("_auth_user_id")


def test_a_login_link_signs_in_once_and_follows_next(user: Any, login_links: Any) -> None:
    url = login_links.issue(user, "/dashboard/")
    assert url.startswith("http://testserver/integrations/login/")
    client = Client(enforce_csrf_checks=True)
    page = client.get(path_of(url))
    assert page.status_code == 200 and b"sign-in" in page.content
    assert signed_in_user_id(client) is None  # a GET (a mail scanner's prefetch) spends nothing
    token = page.cookies["csrftoken"].value
    answer = client.post(path_of(url), {"csrfmiddlewaretoken": token})
    assert answer.status_code == 302 and answer["Location"] == "/dashboard/"
    assert signed_in_user_id(client) == str(user.pk)
    again = Client().post(path_of(url))
    assert again.status_code == 400 and b"already been used" in again.content


def test_the_post_without_a_csrf_token_is_refused_and_spends_nothing(
    user: Any, login_links: Any, LoginToken: Any
) -> None:
    url = login_links.issue(user)
    client = Client(enforce_csrf_checks=True)
    assert client.post(path_of(url)).status_code == 403
    assert LoginToken.objects.get().used_at is None


def test_an_expired_link_is_refused(user: Any, login_links: Any, LoginToken: Any) -> None:
    url = login_links.issue(user)
    LoginToken.objects.update(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
    answer = Client().post(path_of(url))
    assert answer.status_code == 400 and b"expired" in answer.content
    assert signed_in_user_id(Client()) is None


def test_a_link_past_its_signed_max_age_is_refused_before_the_database(user: Any, login_links: Any) -> None:
    url = login_links.issue(user)
    with override_settings(LOOPS_LOGIN_LINK_MAX_AGE=-1):
        answer = Client().get(path_of(url))
    assert answer.status_code == 400 and b"expired" in answer.content


@pytest.mark.parametrize(
    "tamper", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: "x" + t, lambda t: "a:b"]
)
def test_a_tampered_link_is_refused(user: Any, tamper: Any, login_links: Any, LoginToken: Any) -> None:
    url = login_links.issue(user)
    prefix, token = url.rstrip("/").rsplit("/", 1)
    answer = Client().post(path_of(f"{prefix}/{tamper(token)}/"))
    assert answer.status_code == 400 and b"not valid" in answer.content
    assert LoginToken.objects.get().used_at is None


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "/\\evil"])
def test_off_site_next_urls_are_refused_when_issuing(user: Any, target: str, login_links: Any) -> None:
    with pytest.raises(Exception, match="next_url"):
        login_links.issue(user, target)


def test_an_off_site_next_in_the_record_falls_back_to_login_redirect_url(
    user: Any, login_links: Any, LoginToken: Any
) -> None:
    url = login_links.issue(user)
    LoginToken.objects.update(next_url="https://evil.example/")
    answer = Client().post(path_of(url))
    assert answer.status_code == 302 and answer["Location"] == "/after-login/"


def test_only_a_hash_of_the_secret_is_stored(user: Any, login_links: Any, LoginToken: Any) -> None:
    url = login_links.issue(user)
    secret = url.rstrip("/").rsplit("/", 1)[1].split(":")[0]
    assert secret not in LoginToken.objects.get().secret_hash


def test_send_login_code_email_in_debug_mode_issues_a_link_and_logs_no_token(
    user: Any, caplog: pytest.LogCaptureFixture, LoginToken: Any
) -> None:
    caplog.set_level(logging.DEBUG)
    with override_settings(DEBUG=True, LOOPS_LOGIN_CODE_ID="login_code", LOOPS_API_KEY=""):
        result = send_login_code_email(user, next_url="/dashboard/")
    assert result["success"] is True and result["simulated"] is True
    record = LoginToken.objects.get()
    assert record.user == user and record.next_url == "/dashboard/"
    assert "login_url" in caplog.text  # the variable's name is logged, its value (the token) is not
    assert "/integrations/login/" not in caplog.text


def test_send_login_code_email_without_site_url_is_a_failure_dict(user: Any, LoginToken: Any) -> None:
    with override_settings(SITE_URL="", DEBUG=True, LOOPS_LOGIN_CODE_ID="login_code"):
        result = send_login_code_email(user)
    assert result["success"] is False and result["code"] == "not_configured" and "SITE_URL" in result["error"]
    assert not LoginToken.objects.exists()

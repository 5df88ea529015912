"""The pages a person clicks through, with Django's test client: sign in by e-mailed link, the upload page."""

from typing import Any

from django.test import Client, override_settings


def test_sign_in_with_a_loops_login_link(loops_sandbox: Any, user: Any) -> None:
    loops_sandbox.create_template("Login", ["login_url"], template_id="__loops_login_code_id__")
    browser = Client(enforce_csrf_checks=True)
    with override_settings(
        LOOPS_API_KEY=loops_sandbox.api_key, LOOPS_BASE_URL=loops_sandbox.url, SITE_URL="http://testserver"
    ):
        form = browser.get("/login/")
        token = form.cookies["csrftoken"].value
        sent = browser.post("/login/", {"email": "ADA@example.com", "next": "/upload/", "csrfmiddlewaretoken": token})
        assert sent.status_code == 200 and b"login link is on its way" in sent.content
        unknown = browser.post("/login/", {"email": "nobody@example.com", "csrfmiddlewaretoken": token})
        assert b"login link is on its way" in unknown.content  # no account enumeration
    [email] = loops_sandbox.outbox()
    path = email["dataVariables"]["login_url"].removeprefix("http://testserver")
    confirm = browser.get(path)
    answer = browser.post(
        path, {"csrfmiddlewaretoken": confirm.cookies.get("csrftoken", form.cookies["csrftoken"]).value}
    )
    assert answer.status_code == 302 and answer["Location"] == "/upload/"
    page = browser.get("/upload/")
    assert page.status_code == 200 and b"uploadFileToS3" in page.content and b"ada@example.com" in page.content


def test_the_upload_page_needs_a_signed_in_user() -> None:
    answer = Client().get("/upload/")
    assert answer.status_code == 302 and answer["Location"].startswith("/login/")

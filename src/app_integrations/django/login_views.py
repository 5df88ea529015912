"""The login-link view: GET shows a one-button confirmation, POST uses the link and signs the user in.

The confirmation step keeps mail scanners that prefetch links from spending them; the POST is CSRF-protected.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.utils.html import escape
from django.views.decorators.http import require_http_methods

from .login_links import LoginLinkRefused, check, consume, safe_next

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>{title}</title></head>
<body><main><h1>{title}</h1>{content}</main></body></html>"""


def _page(title: str, content: str, status: int = 200) -> HttpResponse:
    return HttpResponse(PAGE.format(title=escape(title), content=content), status=status)


@require_http_methods(["GET", "POST"])
def login_link(request: HttpRequest, token: str) -> HttpResponse:
    """Confirm (GET) or use (POST) a login link; a used, expired or tampered link answers 400."""
    try:
        record = consume(token) if request.method == "POST" else check(token)
    except LoginLinkRefused as refused:
        messages = {"used": "This login link has already been used.", "expired": "This login link has expired."}
        text = messages.get(refused.reason, "This login link is not valid.")
        return _page("Login link refused", f"<p id='reason'>{escape(text)}</p>", status=400)
    if request.method == "GET":
        form = (
            f"<form method='post'><input type='hidden' name='csrfmiddlewaretoken' value='{escape(get_token(request))}'>"
            "<button type='submit' id='sign-in'>Sign in</button></form>"
        )
        return _page("Sign in", form)
    login(request, record.user, backend=settings.AUTHENTICATION_BACKENDS[0])
    target = safe_next(record.next_url, request.get_host(), request.is_secure()) or settings.LOGIN_REDIRECT_URL
    return HttpResponseRedirect(target)

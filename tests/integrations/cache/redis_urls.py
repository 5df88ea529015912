"""The views of the cache tests: seed 002's examples as written, and views behind `rate_limited`."""

from __future__ import annotations

from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.cache import cache_page

from app_integrations.cache import rate_limit, rate_limited

CALLS = {"cached": 0}


def get_data():
    CALLS["cached"] += 1
    return CALLS["cached"]


# Seed 002, "Caching with Decorators" (rendering a JSON body instead of a template).
@cache_page(60 * 15)
def my_view(request):
    # Expensive computation
    data = get_data()
    return JsonResponse({"data": data})


# Seed 002, "Rate Limiting with Redis": the usage in a view, as written, on our rate_limit.
def api_view(request):
    client_ip = request.META.get("REMOTE_ADDR")

    if not rate_limit(client_ip, max_requests=100, window=3600):
        return JsonResponse({"error": "Rate limit exceeded"}, status=429)

    # Process request
    return JsonResponse({"data": "success"})


@rate_limited(key="ip", rate="3/m")
def by_ip(request):
    return HttpResponse("ok")


@rate_limited(key="ip", rate="3/m", algorithm="gcra")
async def by_ip_async(request):
    return HttpResponse("ok")


@rate_limited(key=lambda request: request.GET.get("k"), rate="2/h", methods=["POST"])
def by_param(request):
    return HttpResponse("ok")


@rate_limited(key="user", rate="2/m")
def by_user(request):
    return HttpResponse("ok")


def hello(request):
    return HttpResponse("hello")


urlpatterns = [
    path("cached", my_view),
    path("api", api_view),
    path("ip", by_ip),
    path("ip-async", by_ip_async),
    path("param", by_param),
    path("user", by_user),
    path("hello", hello),
    path("health", hello),
]


class TestUserMiddleware:
    """`request.user` from an `X-Test-User` header (the example project has no django.contrib.auth)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = request.headers.get("X-Test-User")
        request.user = type("User", (), {"is_authenticated": bool(name), "pk": name})()
        return self.get_response(request)

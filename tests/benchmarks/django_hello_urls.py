"""URLconf of the Django row of bench_middleware (not a bench module itself): one async hello view."""

from django.http import HttpRequest, JsonResponse
from django.urls import path


async def hello(request: HttpRequest) -> JsonResponse:
    """The hello endpoint."""
    return JsonResponse({"hello": "world"})


urlpatterns = [path("hello", hello)]

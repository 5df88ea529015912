"""The template's pages: they call the integrations' shortcuts exactly as seed 002 shows them."""

from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from apps.integration.loops.shortcuts import send_login_code_email


def home(request: HttpRequest) -> HttpResponse:
    """Links to every flow, and who is signed in."""
    return render(request, "public/home.html")


@require_http_methods(["GET", "POST"])
def login_page(request: HttpRequest) -> HttpResponse:
    """Ask for an e-mail address and send a one-time login link to it (the same answer whether or not it exists)."""
    if request.method == "POST":
        email = request.POST.get("email", "").strip().lower()
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first() if email else None
        if user is not None:
            send_login_code_email(user, next_url=request.POST.get("next") or "/")
        return render(request, "public/login_sent.html", {"email": email})
    return render(request, "public/login.html", {"next": request.GET.get("next", "")})


@require_http_methods(["POST"])
def logout_page(request: HttpRequest) -> HttpResponse:
    """Sign out."""
    logout(request)
    return redirect("home")


@login_required
def upload_page(request: HttpRequest) -> HttpResponse:
    """Seed 002's direct browser upload: the file goes from the browser straight to S3."""
    return render(request, "public/upload.html")

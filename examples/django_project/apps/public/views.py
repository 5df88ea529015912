"""The project's pages: they call the integrations' shortcuts exactly as the integrations guide shows them."""

from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from app_integrations.cache import initiate_phone_verification, verify_phone_code
from app_integrations.cache.client_ip import client_ip
from apps.integration.loops.shortcuts import send_login_code_email
from apps.integration.stripe.client import StripeClient
from apps.integration.stripe.shortcuts import create_subscription_checkout


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
    """The integrations guide's direct browser upload: the file goes from the browser straight to S3."""
    return render(request, "public/upload.html")


@login_required
@require_http_methods(["GET", "POST"])
def pricing_page(request: HttpRequest) -> HttpResponse:
    """The plan; POST starts a subscription checkout (the user's Stripe customer reused) and goes to Stripe's page."""
    if request.method == "POST":
        site = settings.SITE_URL.rstrip("/")
        result = create_subscription_checkout(
            price_id=settings.STRIPE_PRICE_ID,
            user=request.user,
            success_url=f"{site}/billing/?checkout=success",
            cancel_url=f"{site}/pricing/?checkout=canceled",
        )
        if result["success"]:
            return redirect(result["session"]["url"])
        return render(request, "public/pricing.html", {"error": result["error"]}, status=502)
    return render(request, "public/pricing.html", {"price_id": settings.STRIPE_PRICE_ID})


@login_required
def billing_page(request: HttpRequest) -> HttpResponse:
    """The signed-in user's subscriptions, read from Stripe (active once the checkout's payment went through)."""
    customer = getattr(request.user, "stripe_customer_id", "")
    subscriptions: list[dict[str, object]] = []
    error = None
    if customer:
        listed = StripeClient().list("subscriptions", customer=customer)
        if listed["success"]:
            subscriptions = [{"id": s["id"], "status": s["status"]} for s in listed["data"]]
        else:
            error = listed["error"]
    return render(request, "public/billing.html", {"subscriptions": subscriptions, "error": error})


@login_required
@require_http_methods(["GET", "POST"])
def verify_phone_page(request: HttpRequest) -> HttpResponse:
    """The integrations guide's phone verification: send a code to a number, then check the code the user typed."""
    context: dict[str, object] = {}
    if request.method == "POST":
        phone = request.POST.get("phone_number", "").strip()
        if "code" in request.POST:
            result = verify_phone_code(phone, request.POST.get("code", "").strip())
            retry = result.get("code") == "invalid_code"  # the code is still pending: the field stays to try again
            context = {"phone_number": phone, "verified": bool(result.get("verified")), "error": result.get("error"),
                       "sent": retry}  # fmt: skip
        else:
            result = initiate_phone_verification(phone, client_ip=client_ip(request))
            context = {"phone_number": phone, "sent": result["success"], "error": result.get("error")}
    return render(request, "public/verify_phone.html", context)

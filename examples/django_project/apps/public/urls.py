"""The pages."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_page, name="login"),
    path("logout/", views.logout_page, name="logout"),
    path("upload/", views.upload_page, name="upload"),
    path("pricing/", views.pricing_page, name="pricing"),
    path("billing/", views.billing_page, name="billing"),
    path("verify-phone/", views.verify_phone_page, name="verify_phone"),
]

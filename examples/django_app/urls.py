"""URLs of the Django example: the seed's eight endpoints and the caller's memberships."""

from django.urls import path

from .invitations import views

urlpatterns = [
    path("api/vortex/jwt", views.generate_jwt),
    path("api/vortex/invitations", views.get_invitations_by_target),
    path("api/vortex/invitations/accept", views.accept_invitations),
    path("api/vortex/invitations/by-group/<str:group_type>/<str:group_id>", views.invitations_by_group),
    path("api/vortex/invitations/<str:invitation_id>", views.invitation),
    path("api/vortex/invitations/<str:invitation_id>/reinvite", views.reinvite),
    path("api/me/memberships", views.my_memberships),
]

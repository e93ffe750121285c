from django.urls import include, path

from arena_site.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("", include("games.urls")),
    path("", include("accounts.urls")),
]

handler400 = "arena_site.views.bad_request"
handler403 = "arena_site.views.permission_denied"
handler404 = "arena_site.views.page_not_found"
handler500 = "arena_site.views.server_error"

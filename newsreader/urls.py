from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from articles.throttle import throttled
from articles.views.accounts import PasswordResetView

from . import health, metrics

# A database out of reach answers 503 "Back shortly"; any other error 500 (newsreader/outage.py).
handler500 = "newsreader.outage.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("metrics", metrics.metrics, name="metrics"),
    # Both sign-in forms are throttled before they check a password (articles/throttle.py).
    path("admin/login/", throttled(admin.site.login)),
    path("admin/", admin.site.urls),
    path("accounts/login/", throttled(auth_views.LoginView.as_view()), name="login"),
    # Throttled, and answering in the same time whatever the address (articles/views/accounts.py).
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("articles.urls")),
]

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from ledelse import views
from ledelse.status import home

# The admin has no login form of its own: everyone signs in through allauth (rate limits,
# SSO), and a signed-in user without admin access is refused (allauth's own guard).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", home.home, name="home"),
    path("health/", views.health, name="health"),
    path("health/ready/", views.health, name="health_ready"),
    path("health/live/", views.health_live, name="health_live"),
    path("tilgaengelighed/", views.accessibility_statement, name="accessibility_statement"),
    # Before allauth's own: e-mail addresses come from the import, and an SSO identity is
    # bound by ledelse.signin, so neither is managed by users (read-only page instead).
    path("accounts/email/", views.account_email, name="account_email"),
    path("accounts/3rdparty/", views.account_email, name="socialaccount_connections"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("udskrift.css", views.print_margin_css, name="print_margin_css"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("ledelsesgrundlag/", include("values.urls")),
    path("planer/", include("dialogues.urls")),
    path("notifikationer/", include("ledelse.notifications.urls")),
    path("status/", include("ledelse.status.urls")),
    path("dokumenter/", include("ledelse.documents.urls")),
    path("lus/", include("lus.urls")),
]

if settings.BENCH_FLOOR:
    urlpatterns.append(path("bench/floor/", views.bench_floor, name="bench_floor"))

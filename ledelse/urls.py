from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from ledelse import views

# The admin has no login form of its own: everyone signs in through allauth (rate limits,
# SSO), and a signed-in user without admin access is refused (allauth's own guard).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("ledelsesgrundlag/", include("values.urls")),
    path("planer/", include("dialogues.urls")),
    path("notifikationer/", include("ledelse.notifications.urls")),
    path("lus/", include("lus.urls")),
]

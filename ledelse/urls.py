from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from ledelse import views

# The admin signs in through allauth too, so its rate limits and SSO apply there as well.
admin.site.login = login_required(admin.site.login)

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("ledelsesgrundlag/", include("values.urls")),
]

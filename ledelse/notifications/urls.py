from django.urls import path

from ledelse.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("<int:pk>/laest/", views.notification_read, name="read"),
    path("laest/", views.notification_read_all, name="read_all"),
    path("indstillinger/", views.notification_settings, name="settings"),
]

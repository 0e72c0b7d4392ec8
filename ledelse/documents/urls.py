from django.urls import path

from ledelse.documents import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/", views.job, name="job"),
]

from django.urls import path

from ledelse.status import views

app_name = "status"

urlpatterns = [
    path("", views.status_page, name="page"),
    path("status.csv", views.status_csv, name="csv"),
    path("status.xlsx", views.status_xlsx, name="xlsx"),
    path("status.pdf", views.status_pdf, name="pdf"),
]

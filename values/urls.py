from django.urls import path

from values import views

app_name = "values"

urlpatterns: list = []

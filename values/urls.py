from django.urls import path

from values import views

app_name = "values"

urlpatterns = [
    path("", views.framework_list, name="framework_list"),
    path("soeg/", views.search, name="search"),
    path("sammenlign/", views.compare, name="compare"),
    path("<slug:slug>/", views.framework_detail, name="framework_detail"),
    path("<slug:slug>/version/<int:number>/", views.framework_version, name="framework_version"),
    path("<slug:slug>/version/<int:number>/<slug:key>/", views.item_version, name="item_version"),
    path("<slug:slug>/<slug:key>/", views.item_detail, name="item_detail"),
]

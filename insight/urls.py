from django.urls import path

from . import views

app_name = "insight"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("csv/<slug:key>.csv", views.table_csv, name="csv"),
    path("searches/<int:search>/questions/<int:question>/", views.open_result, name="open_result"),
]

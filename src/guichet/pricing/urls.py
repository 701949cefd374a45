from django.urls import path

from guichet.pricing import public, views

app_name = "pricing"

urlpatterns = [
    path("", views.catalogue_view, name="catalogue"),
    path("services/<slug:slug>/", views.service_view, name="service"),
    path("services/<slug:slug>/nouvelle-grille/", views.grid_create_view, name="grid_create"),
    path("menages/<int:household_id>/", views.household_prices_view, name="household"),
    path("calculateur/", public.calculator_view, name="public_calculator"),
]

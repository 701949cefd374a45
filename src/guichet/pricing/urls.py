from django.urls import path

from guichet.pricing import public, reform_views, views

app_name = "pricing"

urlpatterns = [
    path("", views.catalogue_view, name="catalogue"),
    path("nouveau-service/", views.service_create_view, name="service_create"),
    path("parametres/", views.parameters_view, name="parameters"),
    path("services/<slug:slug>/", views.service_view, name="service"),
    path("services/<slug:slug>/modifier/", views.service_edit_view, name="service_edit"),
    path("services/<slug:slug>/nouvelle-grille/", views.grid_create_view, name="grid_create"),
    path("menages/<int:household_id>/", views.household_prices_view, name="household"),
    path("menages/<int:household_id>/vos-tarifs.pdf", views.household_sheet_view, name="household_sheet"),
    path("calculateur/", public.calculator_view, name="public_calculator"),
    path("simulations/", reform_views.reform_list_view, name="reform_list"),
    path("simulations/nouvelle/", reform_views.reform_create_view, name="reform_create"),
    path("simulations/<int:pk>/", reform_views.reform_detail_view, name="reform_detail"),
    path("simulations/<int:pk>/services/<slug:slug>/", reform_views.reform_service_view, name="reform_service"),
    path(
        "simulations/<int:pk>/services/<slug:slug>/retirer/",
        reform_views.reform_service_remove_view,
        name="reform_service_remove",
    ),
    path("simulations/<int:pk>/lancer/", reform_views.reform_run_view, name="reform_run"),
    path("simulations/<int:pk>/progression/", reform_views.reform_progress_view, name="reform_progress"),
    path("simulations/<int:pk>/resultats/", reform_views.reform_results_view, name="reform_results"),
    path("simulations/<int:pk>/rapport.pdf", reform_views.reform_report_view, name="reform_report"),
]

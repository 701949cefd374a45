from django.urls import URLPattern, path

from guichet.rights import public, views

app_name = "rights"

urlpatterns: list[URLPattern] = [
    path("menages/<int:household_id>/", views.household_rights_view, name="household"),
    path("menages/<int:household_id>/bilan/", views.assessment_run_view, name="run"),
    path("menages/<int:household_id>/et-si/", views.scenario_view, name="scenario"),
    path("bilans/<int:assessment_id>/", views.assessment_view_page, name="assessment"),
    path("bilans/<int:assessment_id>/rejouer/", views.assessment_replay_view, name="replay"),
    path("simulateur/", public.simulator_view, name="public_simulator"),
]

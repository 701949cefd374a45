from django.urls import URLPattern, path

from guichet.rights import action_views, callback, campaign_views, public, views

app_name = "rights"

urlpatterns: list[URLPattern] = [
    path("menages/<int:household_id>/", views.household_rights_view, name="household"),
    path("menages/<int:household_id>/bilan/", views.assessment_run_view, name="run"),
    path("menages/<int:household_id>/et-si/", views.scenario_view, name="scenario"),
    path("bilans/<int:assessment_id>/", views.assessment_view_page, name="assessment"),
    path("bilans/<int:assessment_id>/rejouer/", views.assessment_replay_view, name="replay"),
    path("simulateur/", public.simulator_view, name="public_simulator"),
    path("simulateur/rappel/", callback.callback_view, name="public_callback"),
    path("simulateur/rappel/merci/", callback.callback_done_view, name="public_callback_done"),
    path("bilans/<int:assessment_id>/que-faire/<slug:benefit>/", action_views.action_view, name="action"),
    path("campagnes/", campaign_views.campaign_list_view, name="campaigns"),
    path("campagnes/nouvelle/", campaign_views.campaign_new_view, name="campaign_new"),
    path("campagnes/<int:campaign_id>/", campaign_views.campaign_view, name="campaign"),
    path("campagnes/<int:campaign_id>/progression/", campaign_views.campaign_progress_view, name="campaign_progress"),
    path("campagnes/<int:campaign_id>/relancer/", campaign_views.campaign_restart_view, name="campaign_restart"),
    path("campagnes/<int:campaign_id>/reprendre/", campaign_views.campaign_resume_view, name="campaign_resume"),
    path("campagnes/<int:campaign_id>/menages/", campaign_views.campaign_targets_view, name="campaign_targets"),
    path("campagnes/<int:campaign_id>/attribuer/", campaign_views.campaign_assign_view, name="campaign_assign"),
    path("campagnes/menages/<int:target_id>/", campaign_views.campaign_target_view, name="campaign_target"),
]

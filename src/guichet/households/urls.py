from django.urls import path

from guichet.households import person_merge_views, views

app_name = "households"

urlpatterns = [
    path("", views.household_list, name="list"),
    path("nouveau/", views.household_create_view, name="create"),
    path("<int:pk>/", views.household_detail_view, name="detail"),
    path("<int:pk>/historique/", views.household_history_view, name="history"),
    path("<int:pk>/acces-motive/", views.household_break_glass_view, name="break_glass"),
    path("<int:pk>/modifier/", views.household_edit_view, name="edit"),
    path("<int:pk>/personnes/ajouter/", views.person_add_view, name="person_add"),
    path("<int:pk>/personnes/<int:person_id>/modifier/", views.person_edit_view, name="person_edit"),
    path("<int:pk>/personnes/<int:person_id>/retirer/", views.person_remove_view, name="person_remove"),
    path("<int:pk>/liens/", views.person_links_view, name="links"),
    path("<int:pk>/ressources/", views.resources_view, name="resources"),
    path("<int:pk>/charges/<int:charge_id>/", views.charge_edit_view, name="charge_edit"),
    path("<int:pk>/consentements/", views.consents_view, name="consents"),
    path("<int:pk>/fusionner/", views.household_merge_view, name="merge"),
    path("<int:pk>/personnes/fusionner/", person_merge_views.person_merge_view, name="person_merge"),
    path("<int:pk>/personnes/doublons/", person_merge_views.person_duplicates_view, name="person_duplicates"),
]

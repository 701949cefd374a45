from django.urls import path

from guichet.territory import views

app_name = "territory"

urlpatterns = [
    path("quartiers/", views.quartiers, name="quartiers"),
    path("quartiers/voies/", views.streets, name="streets"),
    path("quartiers/voies/importer/", views.streets_import, name="streets_import"),
    path("quartiers/voies/<int:pk>/", views.street_edit, name="street_edit"),
    path("quartiers/voies/<int:pk>/supprimer/", views.street_delete, name="street_delete"),
]

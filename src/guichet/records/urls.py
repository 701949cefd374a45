from django.urls import path

from guichet.records import views

app_name = "records"

urlpatterns = [
    path("menages/<int:household_id>/pieces/", views.documents_view, name="documents"),
    path("menages/<int:household_id>/notes/", views.notes_view, name="notes"),
    path("pieces/<int:document_id>/fichier/", views.document_file_view, name="document_file"),
    path("pieces/<int:document_id>/supprimer/", views.document_delete_view, name="document_delete"),
]

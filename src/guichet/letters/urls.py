from django.urls import path

from guichet.letters import views

app_name = "letters"

urlpatterns = [
    path("menages/<int:household_id>/nouveau/", views.letter_new_view, name="new"),
    path("<int:pk>/pdf/", views.letter_download_view, name="download"),
    path("orientations/<int:referral_id>/courriel/", views.referral_email_view, name="referral_email"),
    path("modeles/", views.template_list_view, name="templates"),
    path("modeles/<int:pk>/", views.template_edit_view, name="template_edit"),
]

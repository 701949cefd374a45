from django.urls import path

from guichet.desk import public, views

app_name = "desk"

urlpatterns = [
    path("demandes/", views.queue, name="queue"),
    path("demandes/export.csv", views.queue_export_csv, name="export_csv"),
    path("demandes/export.xlsx", views.queue_export_xlsx, name="export_xlsx"),
    path("demandes/nouvelle/", views.request_new, name="new"),
    path("demandes/<int:pk>/", views.request_detail, name="detail"),
    path("demandes/<int:pk>/modifier/", views.request_edit_view, name="edit"),
    path("demandes/<int:pk>/statut/", views.request_status, name="status"),
    path("demandes/<int:pk>/cloture/", views.request_close_view, name="close"),
    path("demandes/<int:pk>/attribution/", views.request_assign_view, name="assign"),
    path("demandes/<int:pk>/orienter/", views.referral_new, name="referral_new"),
    path("orientations/<int:pk>/", views.referral_detail, name="referral"),
    path("orientations/a-relancer/", views.referrals_to_chase_view, name="referrals_to_chase"),
    path("orientations/statistiques/", views.referral_stats_view, name="referral_stats"),
    path("partenaires/", views.partner_list, name="partners"),
    path("partenaires/nouveau/", views.partner_edit, name="partner_new"),
    path("partenaires/<int:pk>/modifier/", views.partner_edit, name="partner_edit"),
    path("demande-en-ligne/", public.public_request_view, name="public_request"),
    path("demande-en-ligne/merci/", public.public_request_done_view, name="public_request_done"),
]

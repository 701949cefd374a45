from django.urls import path

from guichet.agenda import settings_views, views

app_name = "agenda"

urlpatterns = [
    path("", views.my_agenda, name="mine"),
    path("nouveau/", views.appointment_new, name="new"),
    path("<int:pk>/", views.appointment_detail, name="detail"),
    path("<int:pk>/annuler/", views.appointment_cancel_view, name="cancel"),
    path("<int:pk>/statut/", views.appointment_mark_view, name="mark"),
    path("<int:pk>/deplacer/", views.appointment_reschedule_view, name="reschedule"),
    path("flux-ical/", views.calendar_token_view, name="calendar_token"),
    path("ical/<str:token>.ics", views.ical_feed, name="ical"),
    path("lieux/", settings_views.place_list, name="places"),
    path("lieux/nouveau/", settings_views.place_edit, name="place_new"),
    path("lieux/<int:pk>/", settings_views.place_edit, name="place_edit"),
    path("lieux/<int:pk>/supprimer/", settings_views.place_delete_view, name="place_delete"),
    path("creneaux/", settings_views.availability_list, name="availabilities"),
    path("creneaux/nouveau/", settings_views.availability_edit, name="availability_new"),
    path("creneaux/<int:pk>/", settings_views.availability_edit, name="availability_edit"),
    path("creneaux/<int:pk>/supprimer/", settings_views.availability_delete_view, name="availability_delete"),
    path("statistiques/", settings_views.agenda_stats, name="stats"),
]

from django.urls import path

from guichet.agenda import views

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
]

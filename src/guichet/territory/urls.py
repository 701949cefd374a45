from django.urls import path

from guichet.territory import views

app_name = "territory"

urlpatterns = [path("quartiers/", views.quartiers, name="quartiers")]

from django.urls import path

from guichet.households import views

app_name = "households"

urlpatterns = [path("", views.household_list, name="list")]

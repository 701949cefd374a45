from django.urls import path

from guichet.households import views

app_name = "households"

urlpatterns = [
    path("", views.household_list, name="list"),
    path("<int:pk>/", views.household_detail_view, name="detail"),
    path("<int:pk>/acces-motive/", views.household_break_glass_view, name="break_glass"),
]

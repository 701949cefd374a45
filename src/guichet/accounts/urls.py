from django.urls import path

from guichet.accounts import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("utilisateurs/", views.users, name="users"),
]

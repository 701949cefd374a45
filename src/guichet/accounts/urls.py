from django.urls import path

from guichet.accounts import views

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("securite/", views.security, name="security"),
    path("securite/double-authentification/", views.otp_setup, name="otp_setup"),
    path("securite/verification/", views.otp_verify, name="otp_verify"),
    path("securite/codes-de-secours/", views.backup_codes_regenerate, name="backup_codes"),
    path("securite/mot-de-passe/", views.password_change, name="password_change"),
    path("mot-de-passe/<uidb64>/<token>/", views.password_set, name="password_set"),
    path("utilisateurs/", views.users, name="users"),
    path("utilisateurs/nouveau/", views.user_create, name="user_create"),
    path("utilisateurs/<int:pk>/", views.user_detail, name="user_detail"),
    path("utilisateurs/<int:pk>/activation/", views.user_set_active, name="user_set_active"),
    path("utilisateurs/<int:pk>/lien-mot-de-passe/", views.user_password_link, name="user_password_link"),
    path(
        "utilisateurs/<int:pk>/double-authentification/",
        views.user_second_factor_reset,
        name="user_second_factor_reset",
    ),
    path("jetons/", views.api_tokens, name="api_tokens"),
    path("jetons/<int:pk>/revoquer/", views.api_token_revoke, name="api_token_revoke"),
]

"""Login, logout, users. (Being completed: 2FA, user management.)"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.accounts.access import login_only, public_view, require_perm
from guichet.accounts.enums import Perm

login_view = public_view(auth_views.LoginView.as_view(template_name="accounts/login.html"))
logout_view = login_only(auth_views.LogoutView.as_view())


@require_perm(Perm.USERS_MANAGE)
def users(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/users.html", {})

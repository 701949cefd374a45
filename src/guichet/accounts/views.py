"""Login and logout, second factor, password, user management and API tokens (thin views over services)."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.messages.views import SuccessMessageMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice

from guichet.accounts import services
from guichet.accounts.access import login_only, public_view, require_perm
from guichet.accounts.enums import Perm, Role
from guichet.accounts.exceptions import AccountError
from guichet.accounts.forms import ApiTokenForm, LoginForm, OtpCodeForm, UserCreateForm, UserRolesForm
from guichet.accounts.models import User
from guichet.accounts.perms import get_api_token_for_manager, get_user_for_manager
from guichet.accounts.selectors import api_token_rows, user_has_totp, user_list

# --- Login, logout, password -------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm


class PasswordSetView(SuccessMessageMixin, auth_views.PasswordResetConfirmView):  # type: ignore[type-arg]
    """The set-password link an administrator hands over (new account or forgotten password)."""

    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:login")
    success_message = "Votre mot de passe est enregistré : vous pouvez vous connecter."


class PasswordChangeView(SuccessMessageMixin, auth_views.PasswordChangeView):  # type: ignore[type-arg]
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:security")
    success_message = "Votre mot de passe a été modifié."


login_view = public_view(LoginView.as_view())
logout_view = login_only(auth_views.LogoutView.as_view())
password_set = public_view(PasswordSetView.as_view())
password_change = login_only(PasswordChangeView.as_view())


# --- Second factor -----------------------------------------------------------------------------


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _redirect_with_next(url_name: str, next_url: str) -> HttpResponse:
    return redirect(f"{reverse(url_name)}?{urlencode({'next': next_url})}")


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_only
@never_cache
def security(request: HttpRequest) -> HttpResponse:
    """The user's own security page: second factor status, backup codes, password."""
    user: User = request.user  # type: ignore[assignment]
    backup = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return render(
        request,
        "accounts/security.html",
        {
            "has_totp": user_has_totp(user),
            "verified": user.is_verified(),  # type: ignore[attr-defined]
            "backup_codes_left": backup.token_set.count() if backup else 0,
        },
    )


@login_only
@never_cache
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: QR code and secret, then a first code to confirm."""
    user: User = request.user  # type: ignore[assignment]
    if user_has_totp(user):
        # Enrolling a new device must not become a way round the one already in place.
        if not user.is_verified():  # type: ignore[attr-defined]
            return _redirect_with_next("accounts:otp_verify", reverse("accounts:security"))
        return redirect("accounts:security")
    device = services.totp_device_pending(user=user)
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_device_confirm(
                user=user, device=device, code=form.cleaned_data["code"], request=request
            )
        except AccountError as exc:
            form.add_error("code", exc.message)
        else:
            otp_login(request, device)
            return render(request, "accounts/backup_codes.html", {"codes": codes, "next": _safe_next(request)})
    context = {
        "form": form,
        "qr_data_uri": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret": _grouped(b32encode(device.bin_key).decode()),
        "next": _safe_next(request),
    }
    return render(request, "accounts/otp_setup.html", context)


@login_only
@never_cache
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second step of the sign-in: a code from the app or a backup code."""
    user: User = request.user  # type: ignore[assignment]
    if not user_has_totp(user):
        return _redirect_with_next("accounts:otp_setup", _safe_next(request))
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        for device in (*user.totpdevice_set.filter(confirmed=True), *user.staticdevice_set.filter(confirmed=True)):  # type: ignore[attr-defined]
            verified = verify_token(user, device.persistent_id, code)
            if verified is not None:
                otp_login(request, verified)
                return HttpResponseRedirect(_safe_next(request))
        form.add_error(
            "code",
            "Code incorrect ou expiré. Réessayez avec le code affiché en ce moment, ou un code de secours. "
            "Après plusieurs erreurs, attendez quelques secondes entre deux essais.",
        )
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _safe_next(request)})


@login_only
@require_POST
def backup_codes_regenerate(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user.is_verified():  # type: ignore[attr-defined]
        return _redirect_with_next("accounts:otp_verify", reverse("accounts:security"))
    try:
        codes = services.backup_codes_regenerate(user=user, request=request)
    except AccountError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:security")
    response = render(request, "accounts/backup_codes.html", {"codes": codes, "next": reverse("accounts:security")})
    response["Cache-Control"] = "no-store"
    return response


# --- User management ---------------------------------------------------------------------------


@require_perm(Perm.USERS_MANAGE)
def users(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/users.html", {"users": user_list()})


@require_perm(Perm.USERS_MANAGE)
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_create(
                actor=request.user,  # type: ignore[arg-type]
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                roles=[Role(role) for role in data["roles"]],
                password=data["password1"] or None,
                request=request,
            )
        except ValidationError as exc:
            _attach_errors(form, exc)
        else:
            messages.success(request, f"Le compte « {user.username} » a été créé.")
            if data["password1"]:
                return redirect("accounts:user_detail", pk=user.pk)
            return _render_user_detail(request, user, password_link=_password_link(request, user))
    return render(request, "accounts/user_create.html", {"form": form})


def _attach_errors(form: UserCreateForm, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error("password1", exc)


def _password_link(request: HttpRequest, user: User) -> str:
    uidb64, token = services.user_password_link_issue(actor=request.user, user=user, request=request)  # type: ignore[arg-type]
    return request.build_absolute_uri(reverse("accounts:password_set", args=[uidb64, token]))


def _render_user_detail(
    request: HttpRequest, user: User, *, form: UserRolesForm | None = None, password_link: str = ""
) -> HttpResponse:
    roles_form = form or UserRolesForm(initial={"roles": [role.value for role in user.roles]})
    context = {
        "target": user,
        "roles_form": roles_form,
        "has_totp": user_has_totp(user),
        "password_link": password_link,
    }
    response = render(request, "accounts/user_detail.html", context, status=400 if form and form.errors else 200)
    if password_link:
        response["Cache-Control"] = "no-store"
    return response


@require_perm(Perm.USERS_MANAGE)
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The account page; POST changes its roles."""
    user = get_user_for_manager(request.user, pk)  # type: ignore[arg-type]
    if request.method != "POST":
        return _render_user_detail(request, user)
    form = UserRolesForm(request.POST)
    if form.is_valid():
        try:
            services.user_set_roles(
                actor=request.user,  # type: ignore[arg-type]
                user=user,
                roles=[Role(role) for role in form.cleaned_data["roles"]],
                request=request,
            )
        except AccountError as exc:
            form.add_error("roles", exc.message)
        else:
            messages.success(request, "Les rôles ont été enregistrés.")
            return redirect("accounts:user_detail", pk=user.pk)
    return _render_user_detail(request, user, form=form)


@require_perm(Perm.USERS_MANAGE)
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_user_for_manager(request.user, pk)  # type: ignore[arg-type]
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=request.user, user=user, active=active, request=request)  # type: ignore[arg-type]
    except AccountError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Le compte est réactivé." if active else "Le compte est désactivé.")
    return redirect("accounts:user_detail", pk=user.pk)


@require_perm(Perm.USERS_MANAGE)
@require_POST
def user_password_link(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_user_for_manager(request.user, pk)  # type: ignore[arg-type]
    try:
        link = _password_link(request, user)
    except AccountError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:user_detail", pk=user.pk)
    return _render_user_detail(request, user, password_link=link)


@require_perm(Perm.USERS_MANAGE)
@require_POST
def user_second_factor_reset(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_user_for_manager(request.user, pk)  # type: ignore[arg-type]
    services.user_second_factor_reset(actor=request.user, user=user, request=request)  # type: ignore[arg-type]
    messages.success(request, "La double authentification a été réinitialisée : elle sera redemandée à la connexion.")
    return redirect("accounts:user_detail", pk=user.pk)


# --- API tokens --------------------------------------------------------------------------------


@require_perm(Perm.USERS_MANAGE)
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The tokens and, on POST, a new one whose secret is shown on this response only."""
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.api_token_create(
                actor=request.user,  # type: ignore[arg-type]
                user=form.cleaned_data["user"],
                name=form.cleaned_data["name"],
                scopes=[Perm(scope) for scope in form.cleaned_data["scopes"]],
                expires_at=form.expires_at(),
                request=request,
            )
        except AccountError as exc:
            form.add_error(None, exc.message)
        else:
            response = render(request, "accounts/api_token_created.html", {"token": token, "secret": secret})
            response["Cache-Control"] = "no-store"
            return response
    context = {"form": form, "rows": api_token_rows(now=timezone.now())}
    return render(request, "accounts/api_tokens.html", context, status=400 if form.errors else 200)


@require_perm(Perm.USERS_MANAGE)
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_api_token_for_manager(request.user, pk)  # type: ignore[arg-type]
    services.api_token_revoke(actor=request.user, token=token, request=request)  # type: ignore[arg-type]
    messages.success(request, f"Le jeton « {token.name} » est révoqué.")
    return redirect("accounts:api_tokens")

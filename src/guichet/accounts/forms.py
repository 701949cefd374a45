"""Forms of the accounts screens: login, second factor, user management, API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone

from guichet.accounts.enums import Perm, Role
from guichet.accounts.models import User
from guichet.accounts.perms import DEMO_ACCOUNT_REFUSED, demo_account_refused

ROLE_CHOICES = Role.choices
SCOPE_CHOICES = Perm.choices
TOKEN_LIFETIMES = [("30", "30 jours"), ("90", "90 jours"), ("365", "1 an"), ("", "Sans expiration")]


class LoginForm(AuthenticationForm):
    """Django's login form with French messages; demo accounts are refused outside the embedded demo."""

    error_messages = {
        "invalid_login": (
            "Identifiant ou mot de passe incorrect. Vérifiez votre saisie (les majuscules comptent). "
            "Après plusieurs échecs, le compte est verrouillé temporairement."
        ),
        "inactive": "Ce compte est désactivé. Adressez-vous à l'administrateur.",
        "demo_account": DEMO_ACCOUNT_REFUSED,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Identifiant"
        self.fields["password"].label = "Mot de passe"
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username:
            candidate = User.objects.filter(username=username, is_demo=True).first()
            if candidate is not None and demo_account_refused(candidate):
                raise ValidationError(self.error_messages["demo_account"], code="demo_account")
        return super().clean()


class OtpCodeForm(forms.Form):
    code = forms.CharField(
        label="Code de vérification",
        max_length=20,
        help_text="Le code à 6 chiffres affiché par votre application, ou l'un de vos codes de secours.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "none"}),
    )

    def clean_code(self) -> str:
        return str(self.cleaned_data["code"]).replace(" ", "").strip().lower()


class RolesField(forms.MultipleChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, required=False, label="Rôles", **kwargs
        )


class UserCreateForm(forms.Form):
    username = forms.CharField(
        label="Identifiant", max_length=150, help_text="Lettres, chiffres et @ . + - _ uniquement, sans espace."
    )
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    email = forms.EmailField(label="Adresse électronique", required=False)
    roles = RolesField()
    password1 = forms.CharField(
        label="Mot de passe initial",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
        help_text="Laissez vide pour créer un lien à transmettre : la personne choisira elle-même son mot de passe.",
    )
    password2 = forms.CharField(
        label="Confirmation du mot de passe",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password1", "") != cleaned.get("password2", ""):
            self.add_error("password2", "Les deux mots de passe ne correspondent pas.")
        return cleaned


class UserRolesForm(forms.Form):
    roles = RolesField()


class AccountChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        full_name = obj.get_full_name()
        return f"{obj.username} — {full_name}" if full_name else str(obj.username)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Nom du jeton", max_length=100, help_text="À quoi il sert, par exemple « Export vers l'observatoire »."
    )
    user = AccountChoiceField(
        label="Compte de service",
        queryset=User.objects.filter(is_active=True).order_by("username"),
        help_text="Le jeton agit au nom de ce compte, jamais au-delà de ses droits.",
    )
    scopes = forms.MultipleChoiceField(
        label="Permissions accordées au jeton", choices=SCOPE_CHOICES, widget=forms.CheckboxSelectMultiple
    )
    lifetime = forms.ChoiceField(label="Durée de validité", choices=TOKEN_LIFETIMES, initial="90", required=False)

    def expires_at(self) -> Any:
        days = self.cleaned_data.get("lifetime")
        return timezone.now() + timedelta(days=int(days)) if days else None

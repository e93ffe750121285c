from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core import signing
from django.core.exceptions import FieldDoesNotExist

from accounts import hooks
from accounts.models import normalize_username

USERNAME_HELP = "Up to 30 characters: letters, digits and @ . + - _ only."


class SignupForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=30,
        help_text=USERNAME_HELP,
        validators=[UnicodeUsernameValidator()],
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    email = forms.EmailField(
        label="Email (optional)", required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not too common, not all digits, not like your username.",
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_username(self) -> str:
        return normalize_username(self.cleaned_data["username"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        candidate = _Candidate(data.get("username") or "", data.get("email") or "")
        _check_new_password(self, "password1", "password2", candidate)
        return data


def _check_new_password(form: forms.Form, first: str, second: str, candidate: _Candidate) -> None:
    """A new password typed twice: both entries agree, and Django's validators accept it for
    this user (similarity to the username and email, length, common, all digits)."""
    password, again = form.cleaned_data.get(first), form.cleaned_data.get(second)
    if password and again and password != again:
        form.add_error(second, "The two passwords differ.")
    elif password:
        try:
            password_validation.validate_password(password, candidate)
        except forms.ValidationError as exc:
            form.add_error(first, exc)


class _NoModelFields:
    def get_field(self, name: str) -> None:
        raise FieldDoesNotExist(name)


class _Candidate:
    """What the similarity validator compares a new password with. It names the attribute
    that matched through ``_meta.get_field`` (a Django model API), which falls back to the
    attribute's name when the field does not exist."""

    _meta = _NoModelFields()

    def __init__(self, username: str, email: str) -> None:
        self.username, self.email = username, email


class LoginForm(forms.Form):
    username = forms.CharField(
        label="Username", max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label="New password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    new_password2 = forms.CharField(
        label="New password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, username: str, email: str | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidate = _Candidate(username, email or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_new_password(self, "new_password1", "new_password2", self.candidate)
        return data


STATUS_CHOICES = [("", "Any status"), ("running", "In progress"), ("finished", "Finished")]
RESULT_CHOICES = [
    ("", "Any result"),
    ("won", "I won"),
    ("lost", "I lost"),
    ("drawn", "Drawn"),
    ("1-0", "First seat won (1-0)"),
    ("0-1", "Second seat won (0-1)"),
    ("1/2-1/2", "Draw (½-½)"),
    ("*", "Aborted (*)"),
]
CURSOR_SALT = "accounts.my-games"


class MyGamesFilterForm(forms.Form):
    game = forms.ChoiceField(choices=[("", "Any game")], required=False)
    status = forms.ChoiceField(choices=STATUS_CHOICES, required=False)
    result = forms.ChoiceField(choices=RESULT_CHOICES, required=False)
    after = forms.CharField(required=False, max_length=1000, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["game"].choices = [("", "Any game"), *hooks.game_choices()]

    def clean_after(self) -> str | None:
        """Where the page starts: the sort key of the last match of the previous page, signed,
        so that a hand-made cursor is refused with a message instead of reaching DynamoDB."""
        text = self.cleaned_data["after"]
        if not text:
            return None
        try:
            sort_key = signing.loads(text, salt=CURSOR_SALT)
        except signing.BadSignature:
            sort_key = None
        if not isinstance(sort_key, str) or not sort_key.startswith("MATCH#"):
            raise forms.ValidationError("This page link is damaged; start again from the first page.")
        return sort_key


def sign_cursor(sort_key: str) -> str:
    return signing.dumps(sort_key, salt=CURSOR_SALT)

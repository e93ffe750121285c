from __future__ import annotations

from typing import Any

from django import forms

from games import bots
from games.players import PlayerSpec, UnknownPlayerError, player_choices
from games.rules.chess import STARTING_FEN, InvalidPositionError, validate_fen

PACE_CHOICES = [
    ("0", "As fast as the players move"),
    ("1", "At least 1 second per move"),
    ("3", "At least 3 seconds per move"),
]


class NewMatchForm(forms.Form):
    white = forms.ChoiceField(label="White")
    black = forms.ChoiceField(label="Black")
    fen = forms.CharField(
        label="Start position (FEN)",
        required=False,
        max_length=120,
        help_text="Leave empty for the standard position, or paste a FEN.",
        widget=forms.TextInput(
            attrs={"placeholder": STARTING_FEN, "spellcheck": "false", "autocomplete": "off"}
        ),
    )
    pace = forms.ChoiceField(
        label="Pace of bot moves", choices=PACE_CHOICES, initial="0", help_text="Slower is easier to watch."
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = player_choices(stockfish_available=bots.stockfish_path() is not None)
        self.fields["white"].choices = choices
        self.fields["black"].choices = choices
        self.fields["white"].initial = "human"
        self.fields["black"].initial = "engine:2"

    def _clean_player(self, name: str) -> PlayerSpec:
        try:
            return PlayerSpec.from_ref(self.cleaned_data[name])
        except UnknownPlayerError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_white(self) -> PlayerSpec:
        return self._clean_player("white")

    def clean_black(self) -> PlayerSpec:
        return self._clean_player("black")

    def clean_fen(self) -> str:
        text = self.cleaned_data["fen"].strip()
        if not text:
            return STARTING_FEN
        try:
            return validate_fen(text)
        except InvalidPositionError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_pace(self) -> float:
        return float(self.cleaned_data["pace"])


class MoveForm(forms.Form):
    move = forms.CharField(
        label="Your move",
        max_length=40,
        strip=True,
        widget=forms.TextInput(
            attrs={"placeholder": "e4, Nf3, O-O or e2e4", "autocomplete": "off", "spellcheck": "false"}
        ),
    )


class ResignForm(forms.Form):
    side = forms.ChoiceField(choices=[("white", "White"), ("black", "Black")], required=False)

from __future__ import annotations

from typing import Any

from django import forms

from games import bots
from games.llm_options import REASONING_EFFORTS, LLMOptions
from games.players import PlayerSpec, UnknownPlayerError, player_choices
from games.rules.chess import STARTING_FEN, InvalidPositionError, validate_fen
from llm.prompts import PROTOCOLS

PACE_CHOICES = [
    ("0", "As fast as the players move"),
    ("1", "At least 1 second per move"),
    ("3", "At least 3 seconds per move"),
]


class PlayerSelect(forms.Select):
    """A select whose unavailable options (an LLM without credentials) are shown disabled."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unavailable: dict[str, str] = {}

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        if option["value"] in self.unavailable:
            option["attrs"]["disabled"] = True
        return option


class NewMatchForm(forms.Form):
    white = forms.ChoiceField(label="White", widget=PlayerSelect)
    black = forms.ChoiceField(label="Black", widget=PlayerSelect)
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
        label="Pace of bot moves",
        choices=PACE_CHOICES,
        initial="0",
        required=False,
        help_text="Slower is easier to watch.",
    )
    # --- used when an LLM plays ---
    protocol = forms.ChoiceField(
        label="Protocol",
        choices=[
            ("strict", "Strict: the position (FEN) and the moves so far"),
            ("assisted", "Assisted: also the list of legal moves"),
        ],
        initial="strict",
    )
    attempts = forms.IntegerField(
        label="Attempts per move",
        min_value=1,
        max_value=10,
        initial=3,
        help_text="Replies allowed before giving up.",
    )
    on_exhausted = forms.ChoiceField(
        label="When the attempts are used up",
        choices=[("forfeit", "The side forfeits"), ("random", "Play a random legal move (flagged as such)")],
        initial="forfeit",
    )
    token_budget = forms.IntegerField(
        label="Token budget per side",
        min_value=0,
        initial=0,
        help_text="Input + output tokens; 0 = unlimited.",
    )
    dollar_budget = forms.DecimalField(
        label="Dollar budget per match",
        min_value=0,
        max_digits=8,
        decimal_places=2,
        initial=0,
        help_text="Both sides together; 0 = unlimited.",
    )
    timeout = forms.IntegerField(label="Timeout per call (seconds)", min_value=5, max_value=600, initial=60)
    temperature = forms.FloatField(
        label="Temperature",
        min_value=0,
        max_value=2,
        required=False,
        help_text="Empty: the model's default. Ignored by models that take none.",
    )
    reasoning_effort = forms.ChoiceField(
        label="Reasoning effort",
        choices=[("", "Model default"), *[(e, e.capitalize()) for e in REASONING_EFFORTS]],
        required=False,
        help_text="For reasoning models (thinking budget for Claude).",
    )

    LLM_FIELDS = (
        "protocol", "attempts", "on_exhausted", "token_budget", "dollar_budget", "timeout", "temperature",
        "reasoning_effort",
    )  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices, self.unavailable = player_choices(stockfish_available=bots.stockfish_path() is not None)
        for name, initial in (("white", "human"), ("black", "engine:2")):
            field = self.fields[name]
            field.choices = choices
            field.initial = initial
            field.widget.unavailable = self.unavailable
        for name in self.LLM_FIELDS:
            self.fields[name].required = False  # missing: LLMOptions' defaults

    def basic_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.LLM_FIELDS]

    def llm_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.LLM_FIELDS]

    def _clean_player(self, name: str) -> PlayerSpec:
        ref = self.cleaned_data[name]
        if ref in self.unavailable:
            raise forms.ValidationError(f"This model cannot play here: {self.unavailable[ref]}.")
        try:
            return PlayerSpec.from_ref(ref)
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
        return float(self.cleaned_data["pace"] or 0)

    def llm_options(self) -> LLMOptions:
        data = self.cleaned_data
        default = LLMOptions()

        def given(name: str, fallback: Any) -> Any:
            value = data.get(name)
            return fallback if value in (None, "") else value

        protocol = given("protocol", default.protocol)
        assert protocol in PROTOCOLS
        return LLMOptions(
            protocol=protocol,
            attempts=given("attempts", default.attempts),
            on_exhausted=given("on_exhausted", default.on_exhausted),
            token_budget=given("token_budget", default.token_budget),
            dollar_budget=float(given("dollar_budget", default.dollar_budget)),
            timeout=float(given("timeout", default.timeout)),
            temperature=data.get("temperature"),
            reasoning_effort=data.get("reasoning_effort") or None,
        )


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

from __future__ import annotations

from typing import Any

from django import forms

from games.core import Game, InvalidOptionsError, Option, all_games
from games.llm_options import PROTOCOLS, REASONING_EFFORTS, LLMOptions
from games.players import PlayerSpec, UnknownPlayerError, player_choices

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


def _option_field(option: Option) -> forms.Field:
    """The form field of a game's start option."""
    common: dict[str, Any] = {"label": option.label, "required": False, "help_text": option.help}
    if option.kind == "int":
        return forms.IntegerField(
            initial=option.default, min_value=option.min_value, max_value=option.max_value, **common
        )
    if option.kind == "choice":
        return forms.ChoiceField(choices=list(option.choices), initial=option.default, **common)
    attrs = {"placeholder": option.placeholder, "spellcheck": "false", "autocomplete": "off"}
    return forms.CharField(
        initial=option.default, max_length=200, widget=forms.TextInput(attrs=attrs), **common
    )


class NewMatchForm(forms.Form):
    """A new match of one game: a player per seat (fields named after the seats), the game's
    start options, the pace and the options of its LLM players."""

    game = forms.ChoiceField(label="Game", widget=forms.HiddenInput, required=False)
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
            ("strict", "Strict: the position and the moves so far"),
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

    def __init__(self, *args: Any, rules: Game[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules = rules
        self.fields["game"].choices = [(game.id, game.name) for game in all_games()]
        self.fields["game"].initial = rules.id
        choices, self.unavailable = player_choices(rules.id)
        first_bot = next((bot.ref for bot in rules.bots() if bot.available and bot.ref != "random"), "random")
        seat_fields: dict[str, forms.Field] = {}
        for index, seat in enumerate(rules.seats):
            field = forms.ChoiceField(label=rules.seat_label(seat), widget=PlayerSelect, choices=choices)
            field.initial = "human" if index == 0 else first_bot
            field.widget.unavailable = self.unavailable
            seat_fields[seat] = field
        option_fields = {option.name: _option_field(option) for option in rules.options}
        # Seats first, then the game's options, then the rest in declaration order.
        declared = dict(self.fields)
        self.fields.clear()
        self.fields.update({"game": declared.pop("game"), **seat_fields, **option_fields, **declared})
        for name in self.LLM_FIELDS:
            self.fields[name].required = False  # missing: LLMOptions' defaults

    def basic_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in self.LLM_FIELDS and name != "game"]

    def llm_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.LLM_FIELDS]

    def clean_game(self) -> str:
        return self.rules.id  # the view picked the game (and its fields) from this value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        players = []
        for seat in self.rules.seats:
            ref = data.get(seat)
            if ref is None:
                continue  # the field's own error is shown
            if ref in self.unavailable:
                self.add_error(seat, f"This model cannot play here: {self.unavailable[ref]}.")
                continue
            try:
                players.append(PlayerSpec.from_ref(ref, game=self.rules.id))
            except UnknownPlayerError as exc:
                self.add_error(seat, str(exc))
        data["players"] = players
        try:
            data["options"] = self.rules.clean_options(
                {
                    option.name: data.get(option.name)
                    for option in self.rules.options
                    if data.get(option.name) not in (None, "")
                }
            )
        except InvalidOptionsError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return data

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
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    # The seat the move is for, when the viewer plays several at once (a simultaneous round).
    seat = forms.SlugField(max_length=20, required=False)


class ResignForm(forms.Form):
    side = forms.SlugField(max_length=20, required=False)

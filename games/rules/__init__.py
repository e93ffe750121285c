"""Pure game rules: one module per game, no Django, no I/O."""

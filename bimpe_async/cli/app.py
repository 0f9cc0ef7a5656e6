"""The ``bimpe`` command: its groups and commands (``bimpe --help`` lists them)."""

from __future__ import annotations

import typer

from .emulator import emulator
from .export import export
from .listing import agents, conversations
from .tail import tail

app = typer.Typer(
    name="bimpe",
    help="BimpeAI Agent Console from the shell: list, follow and export; run the emulator.",
    no_args_is_help=True,
    add_completion=False,
    # A traceback of an unexpected error must not show locals: one of them is the key.
    pretty_exceptions_show_locals=False,
)
app.add_typer(agents, name="agents")
app.add_typer(conversations, name="conversations")
app.command()(tail)
app.add_typer(export, name="export")
app.command()(emulator)

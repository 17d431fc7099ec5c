"""The README keeps up with the code: every command and named query is documented."""

from pathlib import Path

import typer.main

from twinlac.cli import app
from twinlac.queries import list_queries

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix="twinlac"):
    click_group = typer.main.get_command(group)
    for name, command in click_group.commands.items():
        if hasattr(command, "commands"):
            for sub in command.commands:
                yield f"{prefix} {name} {sub}"
        else:
            yield f"{prefix} {name}"


def test_every_command_is_in_the_readme():
    missing = [c for c in _commands(app) if f"`{c}`" not in README]
    assert not missing, f"commands missing from README: {missing}"


def test_every_command_has_an_example_in_its_help():
    click_group = typer.main.get_command(app)
    for name, command in click_group.commands.items():
        commands = command.commands.values() if hasattr(command, "commands") else [command]
        for cmd in commands:
            assert "Example: twinlac" in (cmd.help or ""), f"{name} {cmd.name} has no example"


def test_every_named_query_is_in_the_readme():
    missing = [q.name for q in list_queries() if f"`{q.name}`" not in README]
    assert not missing, f"named queries missing from README: {missing}"


def test_quick_start_is_two_commands():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = [b for b in section.split("```bash")[1:]]
    commands = [b.split("```", 1)[0].strip() for b in blocks]
    assert len(commands) == 2
    assert commands[0].endswith("twinlac demo") and commands[1].endswith("pytest")

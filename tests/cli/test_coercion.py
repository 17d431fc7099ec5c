"""Option values converted without pydantic (``twinlac.cli.coercion``) are what typer's own
pydantic converter makes of them, on every option of every command; refusals are typer's."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer._click import Context
from typer._coercion import build_runtime_param

from twinlac.cli import app
from twinlac.cli.coercion import _NotPlain, plain_value

SAMPLES: dict[Any, list[Any]] = {
    int: ["0", "5", "-3", "10000", "007", "+5", "1e3", "1_000", " 4", "abc", "", 5, -1],
    float: ["0", "0.5", "-2.25", "60", "1e-3", ".5", "5.", "abc", "nan", 60.0, 0.001],
    str: ["x", "", "Zürich 北京", "[red]"],
    bool: ["true", "no", "1", True, False],
    Path: ["a.lbdb", "/tmp/x.lbdb", "a//b", "dir/", "", "~", ".", Path("p.lbdb")],
    list[str]: [("a=1", "b=2"), ["x"], (), ("x", 1)],
}


def _parameters() -> list[Any]:
    found, stack = {}, [typer.main.get_command(app)]
    while stack:
        command = stack.pop()
        for param in command.params:
            found[f"{command.name} {param.name}"] = (command, param)
        stack.extend(getattr(command, "commands", {}).values())
    return sorted(found.items())


def _samples(annotation: Any) -> list[Any]:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        members = list(annotation)
        if not members:  # a --level option: its parser makes the member
            return ["place", "Province", "party", "nope"]
        return [*members, *(m.value for m in members), members[0].value.upper(), "nope", ""]
    return SAMPLES.get(annotation, ["x"])


def _outcome(convert, value: Any) -> tuple[str, Any]:
    try:
        return "value", convert(value)
    except Exception as exc:  # the refusal itself is compared
        return type(exc).__name__, str(getattr(exc, "message", exc))


@pytest.mark.parametrize(("name", "found"), _parameters(), ids=[n for n, _ in _parameters()])
def test_plain_values_are_typers(name, found):
    command, param = found
    ctx = Context(command)
    descriptor = param.type_descriptor
    typers = build_runtime_param(descriptor)
    assert type(param.get_runtime_param()).__name__ == "PlainRuntimeParam"  # installed by twinlac.cli
    for value in _samples(descriptor.annotation):
        expected = _outcome(lambda v: typers._coerce_value(v, param=param, ctx=ctx), value)
        ours = _outcome(lambda v: param.get_runtime_param()._coerce_value(v, param=param, ctx=ctx), value)
        assert repr(ours) == repr(expected), (name, value)
        if expected[0] == "value":
            assert type(ours[1]) is type(expected[1]), (name, value)


def test_plain_cases_skip_pydantic():
    command, param = dict(_parameters())["query limit"]
    assert plain_value(param.type_descriptor, "25") == 25
    with pytest.raises(_NotPlain):
        plain_value(param.type_descriptor, "1e3")

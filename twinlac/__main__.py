"""``python -m twinlac``: the ``twinlac`` command."""

from twinlac.cli import app

app(prog_name="twinlac")

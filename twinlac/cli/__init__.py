"""The ``twinlac`` command: a thin shell over the library (each command calls one public function).

- ``app``: the typer application and its commands (entry point ``twinlac = "twinlac.cli:app"``);
- ``connectivity``: ``path``, ``neighbours``, ``claims`` and ``analyze connectivity`` (added to
  ``app`` by ``register``);
- ``options``: the choices (Enums from ``twinlac.graph.vocabulary``) and the option bundles
  every command shares (store, graph filters, output);
- ``output``: tables, CSV and JSON, progress, spinners, warnings and errors.
"""

from twinlac.cli.app import app

__all__ = ["app"]

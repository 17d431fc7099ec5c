"""Commands on how the network holds together: ``path``, ``neighbours``, ``analyze connectivity``
and ``claims``.

Each parses its options, calls one public function of ``twinlac.analysis`` (``shortest_paths``,
``neighbourhood``, ``connectivity``, ``claims``) and prints the result; :func:`register` adds them
to the application.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from twinlac.cli.options import (
    GraphOptions,
    Level,
    OutputFormat,
    StoreOptions,
    TableOptions,
    format_options,
    graph_options,
    level_option,
    library_level,
    parse_evidence,
    store_options,
    table_options,
)
from twinlac.cli.output import emit, emit_tables, friendly_errors, note, resolve_format, say, working

__all__ = ["analyze_connectivity", "claims", "neighbours", "path", "register"]

_Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]
# The option bundles, typed for the checker (they add options and pass one object in their place).
_graph: _Decorator = graph_options
_store: _Decorator = store_options
_format: _Decorator = format_options
_errors: _Decorator = friendly_errors


def _describe(graph: Any) -> None:
    from twinlac.analysis.filters import describe_filters

    note(f"({describe_filters(graph)})")


def _named(place: Any) -> str:
    """``Wuxi (place)``, ``Jiangsu (province)``: a resolved place as the user's words say it."""
    return f"{place.name} ({'place' if place.kind == 'party' else place.kind})"


def _ties(n: int) -> str:
    return f"{n} tie{'' if n == 1 else 's'}"


@contextlib.contextmanager
def _filtered_names(source: GraphOptions) -> Iterator[None]:
    """A place the filters left without ties is not in the graph: say so beside "no place"."""
    from twinlac.analysis import PlaceNotFound

    try:
        yield
    except PlaceNotFound as exc:
        if not source.filtered or "did you mean" in str(exc):
            raise
        raise PlaceNotFound(f"{exc} as filtered (--evidence, --as-of): none of its ties is left") from None


def _year(value: Any) -> str:
    import pandas as pd  # here, not at the top: `twinlac query` starts without pandas

    return "no year" if value is None or pd.isna(value) else str(int(value))


PLACE_HELP = "A place, province or country: name, Chinese name or id."


# --- path -------------------------------------------------------------------------------------

@_errors
@_format
@_graph
def path(
    source: GraphOptions,
    output: TableOptions,
    start: Annotated[str, typer.Argument(metavar="FROM", help=PLACE_HELP)],
    end: Annotated[str, typer.Argument(metavar="TO", help=PLACE_HELP)],
    max_hops: Annotated[int, typer.Option("--max-hops", help="Longest chain of ties looked for.")] = 6,
    every: Annotated[bool, typer.Option(
        "--all", help="Every shortest path (up to 1,000), not only the first.")] = False,
    level: Annotated[Level, level_option(("place", "province"),
                                        "walk the places as they signed, or the province graph")] = Level("place"),
) -> None:
    """Shortest chains of ties between two places, provinces or countries, each hop with its kind, year and source.

    Example: twinlac path Brazil Argentina --evidence official,press
    """
    from twinlac.analysis import shortest_paths

    graph = source.graph()
    with _filtered_names(source):
        frame = shortest_paths(graph, start, end, max_hops=max_hops, all=every,
                               level=library_level(level, "party") or "party")
    a, b, hops = frame.attrs["source"], frame.attrs["target"], frame.attrs["hops"]
    if resolve_format(output.format) is not OutputFormat.table:
        emit(frame, output)
    elif hops is None:
        say(f"No chain of at most {_ties(max_hops)} from {_named(a)} to {_named(b)}.")
    else:
        count = int(frame["path"].max())
        shown = (f"{count} shortest path{'s' if count > 1 else ''}" if every
                 else "one shortest path; --all for every one")
        say(f"{_named(a)} to {_named(b)}: {_ties(hops)} ({shown})")
        for number, hops_frame in frame.groupby("path", sort=True):
            if every:
                say(f"path {number}")
            hop: dict[Any, Any]
            for hop in hops_frame.to_dict("records"):
                extra = f", {hop['agreements']} agreements" if hop["agreements"] > 1 else ""
                say(f"  {hop['hop']}. {hop['from_name']} – {hop['to_name']}: {hop['kind'] or 'kind unknown'}, "
                    f"{_year(hop['year'])}, {hop['evidence'] or 'no grade'}{extra}, {hop['source_url'] or 'no source'}")
    if frame.attrs.get("truncated"):
        note("(first 1,000 paths shown)")
    _describe(graph)


# --- neighbours -------------------------------------------------------------------------------

NEIGHBOUR_LEAD = ("distance", "name", "country", "via_name", "kind", "year")


@_errors
@table_options()
@_graph
def neighbours(
    source: GraphOptions,
    output: TableOptions,
    place: Annotated[str, typer.Argument(help=PLACE_HELP)],
    hops: Annotated[int, typer.Option("--hops", min=0, help="How many ties away to look (1: the partners).")] = 1,
) -> None:
    """The places within N ties of a place, with the tie that reaches each (its kind, year and source).

    Example: twinlac neighbours Wuxi --hops 2
    """
    from twinlac.analysis import neighbourhood

    graph = source.graph()
    with _filtered_names(source):
        frame = neighbourhood(graph, place, hops=hops)
    start = frame.attrs["place"]
    emit(frame, output, title=f"Within {_ties(hops)} of {_named(start)}", lead=NEIGHBOUR_LEAD)
    reached = frame.loc[frame["distance"] > 0, "id"].nunique()
    note(f"({reached} places within {_ties(hops)} of {start.name})")
    _describe(graph)


# --- analyze connectivity ---------------------------------------------------------------------

CONNECTIVITY_LEAD = {
    "summary": ("measure", "value"),
    "bridges": ("cn_name", "lac_name", "separated", "component", "kind", "year"),
    "articulation_points": ("name", "country", "degree", "pieces", "separated"),
    "lac_projection": ("a_name", "b_name", "shared", "jaccard"),
    "china_projection": ("a_name", "b_name", "shared", "jaccard"),
    "lac_brokers": ("name", "units", "pairs", "exclusive_pairs", "share_of_pairs"),
    "china_brokers": ("name", "units", "pairs", "exclusive_pairs", "share_of_pairs"),
    "small_world": ("measure", "value", "null_mean", "z", "sampled"),
}


#: The tables of ``twinlac.analysis.connectivity``, named here so that the command line starts
#: without loading the analyses (a test checks the two lists agree).
CONNECTIVITY_TABLES: tuple[str, ...] = (
    "summary", "components", "giant_by_year", "bridges", "articulation_points", "k_core", "k_shells",
    "robustness", "lac_projection", "lac_subregions", "lac_brokers", "china_projection", "china_brokers",
    "small_world",
)


@_errors
@table_options(CONNECTIVITY_TABLES, default="summary")
@_graph
def analyze_connectivity(
    source: GraphOptions,
    output: TableOptions,
    n_random: Annotated[int, typer.Option(
        "--n-random", min=0, help="Random removal orders sampled for robustness.")] = 20,
    n_null: Annotated[int, typer.Option(
        "--n-null", min=0, help="Degree-preserving rewirings for the null model.")] = 10,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the random orders, null models and samples.")] = 0,
    max_sources: Annotated[int, typer.Option(
        "--max-sources", min=1,
        help="Above this many parties, path lengths from a sample of this many sources.")] = 200,
    max_nodes: Annotated[int, typer.Option(
        "--max-nodes", min=1, help="Above this many parties, clustering over a sample of this many.")] = 2000,
) -> None:
    """Components, bridges, brokers, k-cores, robustness, shared-partner projections, small world.

    The giant component's share by year (--as-of), the LAC–LAC and Chinese projections through shared
    partners with their brokers, and path length and clustering against a degree-preserving null model.

    Example: twinlac analyze connectivity --table lac_projection --as-of 2015
    """
    from twinlac.analysis import connectivity

    graph = source.graph()
    with working("measuring connectivity"):
        tables = connectivity(graph, n_random=n_random, n_null=n_null, seed=seed, max_sources=max_sources,
                              max_nodes=max_nodes)
    emit_tables(tables, output, default="summary" if output.format is not OutputFormat.json else None,
                lead=CONNECTIVITY_LEAD)
    world = tables["small_world"]
    sampling = "; ".join(f"{m}: {n}" for m, n in zip(world["measure"], world["note"], strict=True))
    note(f"(sampled: robustness under random removal is the mean of {n_random} random orders (seed {seed}); "
         f"{sampling})")
    _describe(graph)


# --- claims -----------------------------------------------------------------------------------

@_errors
@_format
@_store
def claims(
    store: StoreOptions,
    output: TableOptions,
    evidence: Annotated[str | None, typer.Option(
        "--evidence", metavar="GRADE[,GRADE...]",
        help="Grades of the second check, comma-separated (default: official,press).")] = None,
    as_of: Annotated[int | None, typer.Option(
        "--as-of", metavar="YEAR",
        help="Check the network as it stood: ties signed by then (undated left out).")] = None,
    file: Annotated[Path | None, typer.Option(
        "--claims", help="A claims file with the columns of the bundled one (default: the bundled claims).")] = None,
) -> None:
    """Check the literature's claims: each claim's verdict and figures, on all ties and the well-sourced ones.

    Each claim is printed with what it was checked as and its citation.

    Example: twinlac claims --evidence official --as-of 2015
    """
    from twinlac.analysis import claims as check
    from twinlac.graph.vocabulary import WELL_SOURCED

    grades = parse_evidence(evidence) or tuple(WELL_SOURCED)
    with store.open(read_only=True) as opened:
        graph = opened.to_networkx()
    frame = check(graph, subset=grades, as_of=as_of, path=file)
    if resolve_format(output.format) is not OutputFormat.table:
        emit(frame, output)
    else:
        subset = ", ".join(grades)
        row: dict[Any, Any]
        for row in frame.to_dict("records"):
            say(f"{row['claim_id']}: {row['claim']}")
            say(f"  all ties: {row['verdict']} ({row['figures']})")
            say(f"  {subset}: {row['verdict_well_sourced']} ({row['figures_well_sourced']})")
            if row["threshold"]:
                say(f"  checked as: {row['threshold']}")
            say(f"  source: {row['citation']}")
        counts: dict[Any, int] = frame["verdict"].value_counts().to_dict()
        well: dict[Any, int] = frame["verdict_well_sourced"].value_counts().to_dict()
        say(f"{len(frame)} claims; all ties: " + ", ".join(f"{n} {v}" for v, n in counts.items())
            + f"; {subset}: " + ", ".join(f"{n} {v}" for v, n in well.items()) + ".")
    when = f"ties signed by {as_of} (undated left out)" if as_of is not None else "all ties"
    note(f"(checked on {when}, {graph.number_of_edges()} ties in the store)")


def register(app: typer.Typer, analyze_app: typer.Typer) -> None:
    """Add ``path``, ``neighbours``, ``claims`` to ``app`` and ``connectivity`` to ``analyze_app``."""
    app.command("path")(path)
    app.command("neighbours")(neighbours)
    app.command("claims")(claims)
    analyze_app.command("connectivity")(analyze_connectivity)

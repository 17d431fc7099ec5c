"""The ``twinlac`` typer application: each command parses its options, calls one public
library function and prints the result (``twinlac.cli.output``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

import twinlac
from twinlac.cli.connectivity import register as register_connectivity
from twinlac.cli.options import (
    Backend, ChartFormat, ExportFormat, ExportScope, GraphOptions, GrowthBy, InputFormat, Level, OutputFormat, SizeBy, StoreOptions, TableOptions,
    format_options, graph_options, level_option, library_level, parse_pairs, store_options, table_options,
)
from twinlac.cli.output import (
    LoadProgress, emit, emit_rows, emit_tables, friendly_errors, large_page, library_warnings, note, say, working,
)
from twinlac.graph import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, default_db_path

app = typer.Typer(
    help="Explore twinning relations between Chinese and Latin American and Caribbean localities.",
    no_args_is_help=True,
    add_completion=False,
)
analyze_app = typer.Typer(help="Analyses of the twinning network.", no_args_is_help=True)
app.add_typer(analyze_app, name="analyze")


def _version(value: bool) -> None:
    if value:
        say(f"twinlac {twinlac.__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[Optional[bool], typer.Option(
        "--version", callback=_version, is_eager=True, help="Print the version and exit.")] = None,
) -> None:
    """Explore twinning relations between Chinese and Latin American and Caribbean localities."""


def _filters(graph) -> None:
    from twinlac.analysis.filters import describe_filters  # here, not at the top: the CLI starts fast

    note(f"({describe_filters(graph)})")


OutFile = Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")]


DEMO_TITLES = {
    "agreements_by_country": "Agreements by LAC country",
    "agreements_by_level_and_kind": "Agreements by level and kind",
    "top_chinese_provinces": "Top Chinese provinces by number of ties",
}


@app.command()
@friendly_errors
def demo(
    db: Annotated[Optional[Path], typer.Option(
        "--db", envvar="TWINLAC_DB", help="Embedded database file (default: ./twinlac.lbdb).")] = None,
    out_dir: Annotated[Path, typer.Option(
        "--out", "-o", help="Folder for network.html and map.html.")] = Path("twinlac-out"),
    backend: Annotated[Backend, typer.Option(
        "--backend", envvar="TWINLAC_BACKEND",
        help="Store: the embedded file or a Neo4j server (NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD).")
    ] = Backend.embedded,
) -> None:
    """Build the graph from the bundled data, print a summary and write the network page and map.

    Example: twinlac demo --db /tmp/twinlac.lbdb
    """
    from twinlac.demo import run_demo

    with working("loading the bundled data and drawing the pages"):
        result = run_demo(db if db is not None else default_db_path(), out_dir, backend=backend.value)
    load = result.load
    say(f"Loaded {load.rows_read} agreements from {load.file.name}: {load.ties_added} new, "
        f"{load.ties_already_present} already in {result.location}.")
    for name, frame in result.tables.items():
        emit(frame, TableOptions(OutputFormat.table), title=DEMO_TITLES.get(name, name))
    say(f"Network: {result.network_html.resolve()}")
    say(f"Map: {result.map_html.resolve()}")
    say(f"Done in {result.seconds:.1f} s.")


@app.command()
@friendly_errors
@store_options
def load(
    store: StoreOptions,
    file: Annotated[Optional[Path], typer.Argument(help="CSV, XLSX or JSON file (default: the bundled data).")] = None,
    input_format: Annotated[InputFormat, typer.Option(
        "--input-format", help="What the file holds (auto: told apart by its columns).")] = InputFormat("auto"),
    mapping: Annotated[Optional[list[str]], typer.Option(
        "--map", metavar="FIELD=COLUMN", help="Pairs files: FIELD=COLUMN, e.g. a_name=city1 (repeatable).")] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="Source URL for every row without one.")] = None,
    evidence: Annotated[Optional[str], typer.Option("--evidence", help="Evidence grade for rows without one.")] = None,
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help="Write the good rows; put the bad ones in a rejects file.")] = False,
    rejects: Annotated[Optional[Path], typer.Option("--rejects", help="Rejects file (default: FILE.rejects.csv).")] = None,
    matches: Annotated[Optional[Path], typer.Option(
        "--matches", help="Names not resolved exactly, one per row (default: FILE.matches.csv).")] = None,
    conflicts: Annotated[Optional[Path], typer.Option(
        "--conflicts", help="Values differing from held ties and places (default: FILE.conflicts.csv).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary line.")] = False,
    wikidata_query: Annotated[bool, typer.Option(
        "--wikidata-query", help="Print the SPARQL query whose JSON result `load` reads, and exit.")] = False,
    allow_extra_columns: Annotated[bool, typer.Option(
        "--allow-extra-columns", help="Canonical files: warn about an unknown column instead of refusing the file.")
    ] = False,
    sheet: Annotated[Optional[str], typer.Option("--sheet", help="XLSX: the sheet to read (default: the first).")
                     ] = None,
) -> None:
    """Load agreements: all rows or, on any error, none (unless --skip-invalid).

    Prints a summary, the names resolved per method, and where the matches to audit and
    the conflicts with held ties are written (per-row notes go to those files).

    Example: twinlac load data/examples/world_sample.csv --map a_name=city1 --map a_country=country1 --map b_name=city2 --map b_country=country2 --source https://example.org/list
    """
    from twinlac.loaders import METHODS, load_file
    from twinlac.loaders.readers import bad_character
    from twinlac.loaders.wikidata import query_text

    if wikidata_query:
        sys.stdout.write(query_text())
        return
    fields = parse_pairs(mapping, "--map", "FIELD=COLUMN")
    for option, value in (("--source", source), ("--evidence", evidence)):
        found = bad_character(value or "")
        if found:
            raise typer.BadParameter(f"{option} holds {found}: give UTF-8 text")
    with library_warnings(), store.open() as opened, LoadProgress(quiet=quiet) as tick:
        report = load_file(opened, file, format=input_format.value, mapping=fields or None, source=source,
                           evidence=evidence, skip_invalid=skip_invalid, rejects=rejects, matches=matches,
                           conflicts=conflicts, on_row=tick, allow_extra_columns=allow_extra_columns, sheet=sheet)
    written = report.written
    say(f"{report.file} ({report.format}): {report.rows_read} rows read, {report.rows_loaded} loaded, "
        f"{report.rows_rejected} rejected; {report.ties_added} ties added, {report.ties_already_present} already present"
        + (f", {written.sources_added} gained a source" if written.sources_added else "")
        + (f", {report.duplicates_merged} duplicate statements merged" if report.duplicates_merged else "")
        + f"; {report.enriched} ties enriched, {len(report.conflicts)} conflicts kept.")
    if report.rejects_file:
        say(f"Rejected rows and reasons: {report.rejects_file}")
    if quiet:
        return
    for method in METHODS:
        say(f"  {method + ':':<20}{report.method_counts.get(method, 0):>9,} names")
    if report.places_enriched:
        say(f"{report.places_enriched} held places gained a Chinese name.")
    for label, written_to in (("Matches to audit", report.matches_file), ("Conflicts kept", report.conflicts_file)):
        if written_to:
            say(f"{label}: {written_to}")
    if report.unlocated:
        shown = ", ".join(report.unlocated[:10]) + (", ..." if len(report.unlocated) > 10 else "")
        say(f"{len(report.unlocated)} new places have no coordinates (the map lists them): {shown}")


@app.command()
@friendly_errors
@format_options
@store_options
def query(
    store: StoreOptions,
    output: TableOptions,
    cypher: Annotated[Optional[str], typer.Argument(help="A Cypher statement.")] = None,
    name: Annotated[Optional[str], typer.Option("--name", "-n", help="Run a named query instead (see `twinlac queries`).")] = None,
    param: Annotated[Optional[list[str]], typer.Option(
        "--param", "-p", metavar="NAME=VALUE", help="Query parameter NAME=VALUE (repeatable).")] = None,
    write: Annotated[bool, typer.Option("--write", help="Allow a query that changes the graph.")] = False,
    allow_files: Annotated[bool, typer.Option(
        "--allow-files", help="Allow a query that reads or writes files or the network (LOAD FROM, COPY, ...).")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows (0: no limit; not below 0).")] = DEFAULT_MAX_ROWS,
    timeout: Annotated[float, typer.Option("--timeout", help="Stop the query after this many seconds (0.001 at least).")] = DEFAULT_TIMEOUT,
) -> None:
    """Run a Cypher query (or a named one) and print the rows.

    Example: twinlac query --name province_agreements --param province=Jiangsu
    """
    from twinlac.graph.cypher import check_limits

    check_limits(limit, timeout)
    pairs = parse_pairs(param, "--param")
    params = {}
    if pairs:  # the named queries' module, only when needed: a plain query starts without it
        from twinlac.queries import parse_value

        params = {key: parse_value(value) for key, value in pairs.items()}
    if (cypher is None) == (name is None):
        raise typer.BadParameter("give either a CYPHER statement or --name NAME")
    if name is not None:
        from twinlac.queries import get_query

        named = get_query(name)
        cypher, params = named.cypher, named.bind(params)
    with store.open(read_only=not write) as opened:
        result = opened.query_rows(cypher, params, write=write, max_rows=limit or None, timeout=timeout,
                                   allow_files=allow_files)
    emit_rows(result, TableOptions(output.format, wide=True))  # as emit prints its frame, without pandas
    if result.truncated:
        note(f"(first {limit} rows shown; raise --limit to see more)")


@app.command()
@friendly_errors
@format_options
def queries(output: TableOptions) -> None:
    """List the named queries and their parameters.

    Example: twinlac queries
    """
    import pandas as pd

    from twinlac.queries import list_queries

    rows = [{"name": q.name, "title": q.title,
             "params": ", ".join(p.name + (f"={p.default}" if p.default is not None else "") for p in q.params)}
            for q in list_queries()]
    emit(pd.DataFrame(rows, columns=["name", "title", "params"]), TableOptions(output.format, wide=True))


# --- analyses ---------------------------------------------------------------------------------

CENTRALITY_LEAD = ("name", "country", "degree", "agreements", "betweenness", "pagerank", "eigenvector")


@analyze_app.command("centrality")
@friendly_errors
@table_options()
@graph_options
def analyze_centrality(
    source: GraphOptions,
    output: TableOptions,
    level: Annotated[Level, level_option(("place", "province", "country"),
                                         "place (each party as it signed), province or country")] = Level("place"),
    top: Annotated[int, typer.Option("--top", help="Show the N most central (0: all).")] = 20,
) -> None:
    """Hubs and brokers: degree, agreements, betweenness, PageRank, eigenvector, bipartite measures.

    Example: twinlac analyze centrality --level province --top 10 --columns name,degree,pagerank
    """
    from twinlac.analysis import centrality

    graph = source.graph()
    with working("computing centrality"):
        frame = centrality(graph, level=library_level(level, "party"))
    emit(frame.head(top) if top else frame, output, lead=CENTRALITY_LEAD)
    _filters(graph)


CLUSTER_TABLES = ("agreement", "modularity", "partition")


@analyze_app.command("clusters")
@friendly_errors
@table_options(CLUSTER_TABLES, default="agreement")
@graph_options
def analyze_clusters(
    source: GraphOptions,
    output: TableOptions,
    level: Annotated[Level, level_option(("province", "country"), "province or country")] = Level("province"),
    seeds: Annotated[int, typer.Option("--seeds", help="Louvain runs (seeds) to report the spread over.")] = 10,
    n_null: Annotated[int, typer.Option("--n-null", help="Degree-preserving rewirings for the null model.")] = 100,
    seed: Annotated[int, typer.Option("--seed", help="First random seed.")] = 0,
) -> None:
    """Communities (Louvain) against NBS regions and LAC subregions: ARI, NMI, modularity vs a null model.

    Example: twinlac analyze clusters --evidence official,press --table modularity
    """
    from twinlac.analysis import clusters

    graph = source.graph()
    with working("finding communities"):
        result = clusters(graph, level=library_level(level, "party"), n_seeds=seeds, seed=seed, n_null=n_null)
    emit_tables(dict(zip(CLUSTER_TABLES, (result.agreement, result.modularity, result.partition))), output,
                default="agreement" if output.format is not OutputFormat.json else None)
    _filters(graph)


SPILLOVER_TABLES = ("summary", "shares", "concentration", "attachment kernel", "diffusion", "first tie")


@analyze_app.command("spillover")
@friendly_errors
@table_options(SPILLOVER_TABLES, default="summary")
@graph_options
def analyze_spillover(
    source: GraphOptions,
    output: TableOptions,
    n_boot: Annotated[int, typer.Option("--n-boot", help="Bootstrap resamples for the attachment exponent.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the bootstrap.")] = 0,
    origin: Annotated[int, typer.Option("--origin", help="Year time to a first tie counts from (1973: Tianjin–Kobe).")] = 1973,
) -> None:
    """Does the coast keep its lead? Shares, Gini and Theil over provinces, attachment, diffusion.

    Example: twinlac analyze spillover --table concentration
    """
    from twinlac.analysis import spillover

    graph = source.graph()
    with working("measuring spillover"):
        result = spillover(graph, n_boot=n_boot, seed=seed, origin=origin)
    tables = (result.summary, result.shares.overall, result.concentration.by_year, result.attachment_province.kernel,
              result.diffusion.rates, result.first_tie.medians)
    emit_tables(dict(zip(SPILLOVER_TABLES, tables)), output,
                default="summary" if output.format is not OutputFormat.json else None)
    _filters(graph)


GROWTH_TABLES = ("totals", "by year")


@analyze_app.command("growth")
@friendly_errors
@table_options(GROWTH_TABLES)
@graph_options
def analyze_growth(
    source: GraphOptions,
    output: TableOptions,
    by: Annotated[Optional[GrowthBy], typer.Option("--by", help="Break the counts down by this.")] = None,
) -> None:
    """Ties by year and cumulative, in all or by country, level, kind; undated ties counted apart.

    Example: twinlac analyze growth --by country --table totals
    """
    from twinlac.analysis import growth

    graph = source.graph()
    result = growth(graph, by=by.value if by else None)
    by_year = result.table[(result.table["new"] != 0) | (result.table["cumulative"] != 0)]  # no all-zero rows
    emit_tables(dict(zip(GROWTH_TABLES, (result.totals, by_year.reset_index(drop=True)))), output)
    _filters(graph)


MIXING_TABLES = ("assortativity", "region mixing", "distance", "distance summary")


@analyze_app.command("mixing")
@friendly_errors
@table_options(MIXING_TABLES, default="assortativity")
@graph_options
def analyze_mixing(
    source: GraphOptions,
    output: TableOptions,
    level: Annotated[Level, level_option(("place", "province", "country"),
                                         "place, province or country (degree assortativity)")] = Level("province"),
    n_null: Annotated[int, typer.Option("--n-null", help="Degree-preserving rewirings for the null model.")] = 100,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the null model.")] = 0,
) -> None:
    """Who twins with whom: degree assortativity, region mixing, and whether distance predicts a tie.

    Example: twinlac analyze mixing --table distance
    """
    from twinlac.analysis import assortativity, distance_effect, region_mixing
    from twinlac.analysis.geography import distance_summary

    graph = source.graph()
    with working("measuring mixing"):
        degree = assortativity(graph, level=library_level(level, "party"), n_null=n_null, seed=seed)
        distance = distance_effect(graph)
    tables = (degree, region_mixing(graph), distance.by_distance, distance_summary(distance))
    emit_tables(dict(zip(MIXING_TABLES, tables)), output,
                default="assortativity" if output.format is not OutputFormat.json else None)
    _filters(graph)


# --- pages and charts -------------------------------------------------------------------------

@app.command()
@friendly_errors
@graph_options
def viz(
    source: GraphOptions,
    output: OutFile = Path("twinlac-out/network.html"),
    level: Annotated[Level, level_option(("place", "province", "country"),
                                         "place (as signed), province or country")] = Level("place"),
    size_by: Annotated[SizeBy, typer.Option("--size-by", help="What sets a node's size.")] = SizeBy("degree"),
    around: Annotated[Optional[str], typer.Option(
        "--around", metavar="PLACE", help="Only the places within --hops ties of this place, province or country.")] = None,
    hops: Annotated[int, typer.Option("--hops", min=0, help="How far from --around to draw.")] = 1,
    force: Annotated[bool, typer.Option(
        "--force", help="Keep place level even above 5,000 places (drawn by province otherwise).")] = False,
) -> None:
    """Write the interactive network as one offline HTML page (or, with --around, the part around one place).

    Example: twinlac viz --level province --size-by pagerank --evidence official,press -o well-sourced.html
    """
    from twinlac.analysis import ego_graph
    from twinlac.viz import write_network_html
    from twinlac.viz.payload import page_level

    graph = source.graph()
    if around is not None:
        graph = ego_graph(graph, around, hops=hops)
        say(f"{graph.number_of_nodes()} places within {hops} tie(s) of {around}")
    drawn = page_level(graph, library_level(level, "locality"), force_level=force)[0]
    if level.value == "place" and drawn == "locality":
        large_page(graph.number_of_nodes())
    with working("drawing the network"):
        path = write_network_html(graph, output, level=library_level(level, "locality"), size_by=size_by.value,
                                  force_level=force)
    say(f"{graph.number_of_edges()} ties at {'place' if drawn == 'locality' else drawn} level: {path}")
    _filters(graph)


@app.command("map")
@friendly_errors
@graph_options
def map_command(
    source: GraphOptions,
    output: OutFile = Path("twinlac-out/map.html"),
    no_bundle: Annotated[bool, typer.Option(
        "--no-bundle", help="One line per tie even above 5,000 ties (one per pair of provinces otherwise).")] = False,
) -> None:
    """Write the ties as lines on a world map, one offline HTML page (places without coordinates listed).

    Example: twinlac map --evidence official,press -o twinlac-out/well-sourced-map.html
    """
    from twinlac.analysis.geography import coordinate_counts
    from twinlac.viz import write_map_html

    graph = source.graph()
    if no_bundle:
        large_page(graph.number_of_nodes())
    with working("drawing the map"):
        path = write_map_html(graph, output, bundle=False if no_bundle else None)
    missing = coordinate_counts(graph)["without_coordinates"]
    say(f"{graph.number_of_edges()} ties, {missing} places without coordinates (listed on the page): {path}")
    _filters(graph)


@app.command()
@friendly_errors
@graph_options
def report(
    source: GraphOptions,
    output: OutFile = Path("twinlac-out/report.html"),
    title: Annotated[str, typer.Option("--title", help="Page title.")] = "China–LAC twinning report",
    network_level: Annotated[str, typer.Option(
        "--network-level", metavar="[place|province|country|none]",
        help="Level of the embedded network (locality: old name of place).")] = "province",
    chart_format: Annotated[ChartFormat, typer.Option("--chart-format", help="Format of the charts.")] = ChartFormat.svg,
) -> None:
    """Write one offline page: summary, charts, hubs, clusters, spillover, connectivity, claims, the network.

    The published figures are shown beside what the data holds.

    Example: twinlac report --evidence official,press -o twinlac-out/well-sourced-report.html
    """
    from twinlac.viz import write_report

    level = {"place": "locality", "none": None}.get(network_level, network_level)
    graph, unfiltered = source.graphs()
    if level == "locality":
        large_page(graph.number_of_nodes())
    with working("writing the report"):
        path = write_report(graph, output, unfiltered=unfiltered, title=title, chart_format=chart_format.value,
                            network_level=level)
    say(f"Report: {path}")
    _filters(graph)


@app.command()
@friendly_errors
@graph_options
def charts(
    source: GraphOptions,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for the chart files.")] = Path("twinlac-out/charts"),
    fmt: Annotated[ChartFormat, typer.Option("--format", "-f", help="Image format.")] = ChartFormat.png,
) -> None:
    """Write the static charts: growth by year and country, Lorenz curves, top provinces and places, robustness.

    Example: twinlac charts --format svg -o twinlac-out/charts
    """
    from twinlac.viz import charts as c

    graph = source.graph()
    with working("drawing the charts"):
        made = {"growth": c.growth_chart(graph), "lorenz": c.lorenz_chart(graph),
                "top_provinces": c.top_provinces_chart(graph), "top_localities": c.top_localities_chart(graph),
                "robustness": c.robustness_chart(graph)}
        paths = [c.save_chart(figure, Path(out_dir) / f"{name}.{fmt.value}") for name, figure in made.items()]
    for path in paths:
        say(str(path))
    _filters(graph)


@app.command("export")
@friendly_errors
@graph_options
def export_command(
    source: GraphOptions,
    out: Annotated[Path, typer.Option(
        "--out", "-o", help="File (graphml, gexf, cypher) or folder (csv, neo4j-import) to write.")],
    fmt: Annotated[Optional[ExportFormat], typer.Option(
        "--format", "-f", help="Format (default: from the suffix of --out).")] = None,
    level: Annotated[Level, level_option(("place", "province", "country"),
                                         "place (as signed), or ties aggregated by province or country")
                     ] = Level("place"),
    scope: Annotated[ExportScope, typer.Option(
        "--scope", help="china-lac: ties between a Chinese and a LAC party; all: every tie.")] = ExportScope("china-lac"),
) -> None:
    """Write the network for other tools: GraphML, dynamic GEXF (Gephi), CSV, a Cypher script, neo4j-admin files.

    Example: twinlac export --out provinces.gexf --level province --evidence official,press
    """
    from twinlac.exports import export

    with working("exporting"), source.open(read_only=True) as store:
        result = export(store, out, format=fmt.value if fmt else None, level=library_level(level, "party"),
                        evidence=source.evidence, as_of=source.as_of, scope=scope.value)
    say(f"{result.format} at {level.value} level: {result.nodes} nodes, {result.edges} edges"
        + (f" ({result.ties} ties)" if result.ties != result.edges else "")
        + (f"; {result.ties_left_out} ties left out by the filters" if result.ties_left_out else "") + ".")
    for path in result.paths:
        say(str(path))
    if result.command:
        say(f"Import into a new Neo4j database with: {result.command}")


@app.command()
@friendly_errors
@format_options
@store_options
def info(store: StoreOptions, output: TableOptions) -> None:
    """Count the nodes and relationships in the store.

    Example: twinlac info
    """
    from twinlac.graph.store import QueryRows

    with store.open(read_only=True) as opened:
        counts = opened.counts()
    emit_rows(QueryRows(["table", "count"], list(counts.items())), output)


register_connectivity(app, analyze_app)  # path, neighbours, claims, analyze connectivity

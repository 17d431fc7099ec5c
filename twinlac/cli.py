"""The ``twinlac`` command: a thin shell over the library (each command calls one function)."""

from __future__ import annotations

import functools
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from twinlac.errors import LoadError, TwinlacError
from twinlac.graph import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, default_db_path, open_store
from twinlac.graph.model import EVIDENCE_GRADES

app = typer.Typer(
    help="Explore twinning relations between Chinese and Latin American and Caribbean localities.",
    no_args_is_help=True,
    add_completion=False,
)
analyze_app = typer.Typer(help="Analyses of the twinning network.", no_args_is_help=True)
app.add_typer(analyze_app, name="analyze")

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


class Backend(str, Enum):
    embedded = "embedded"
    neo4j = "neo4j"


DbOption = Annotated[
    Optional[Path],
    typer.Option("--db", envvar="TWINLAC_DB", help="Embedded database file [default: ./twinlac.lbdb]."),
]
BackendOption = Annotated[
    Backend, typer.Option("--backend", envvar="TWINLAC_BACKEND", help="Store: embedded file or Neo4j (NEO4J_URI).")
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
EvidenceOption = Annotated[
    Optional[str],
    typer.Option("--evidence", help=f"Keep only ties with these grades, comma-separated ({','.join(EVIDENCE_GRADES)})."),
]


def friendly_errors(command):
    """Turn twinlac's errors into one-line messages and exit code 1 (no traceback)."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except LoadError as exc:
            for issue in exc.issues:
                err.print(Text(f"error: {issue}"))
            err.print(Text(f"{len(exc.issues)} error(s); nothing was written."))
            raise typer.Exit(1) from None
        except TwinlacError as exc:
            err.print(Text(f"error: {exc}"))
            raise typer.Exit(1) from None

    return wrapper


def _open(db: Optional[Path], backend: Backend, *, read_only: bool = False):
    return open_store(db, backend=backend.value, read_only=read_only)


def _evidence(value: Optional[str]) -> list[str] | None:
    if not value:
        return None
    grades = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [g for g in grades if g not in EVIDENCE_GRADES]
    if unknown:
        raise typer.BadParameter(f"unknown grade(s) {', '.join(unknown)}; use {', '.join(EVIDENCE_GRADES)}")
    return grades


def emit(frame: pd.DataFrame, fmt: Format, title: str | None = None) -> None:
    """Print a DataFrame as a table, CSV or JSON (every cell shown as plain text)."""
    if fmt is Format.csv:
        sys.stdout.write(frame.to_csv(index=False))
    elif fmt is Format.json:
        sys.stdout.write(json.dumps(records(frame), ensure_ascii=False, indent=2, default=_plain) + "\n")
    else:
        table = Table(title=title, title_justify="left", header_style="bold")
        for column in frame.columns:
            numeric = pd.api.types.is_numeric_dtype(frame[column])
            table.add_column(Text(str(column)), justify="right" if numeric else "left")
        for row in frame.itertuples(index=False):
            # Text(), not str: a place named "[red]" must not be read as markup.
            table.add_row(*(Text(_cell(v)) for v in row))
        out.print(table)


def records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts: missing values as None."""
    return frame.astype(object).where(frame.notna(), None).to_dict(orient="records")


def _plain(value):
    """numpy scalars and other stragglers as JSON values."""
    if hasattr(value, "item"):
        value = value.item()
        return None if isinstance(value, float) and value != value else value
    return str(value)


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


@app.command()
@friendly_errors
def demo(
    db: DbOption = None,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the network page.")] = Path("twinlac-out"),
) -> None:
    """Build the graph from the bundled data, print a summary and write the network page and map.

    Example: twinlac demo --db /tmp/twinlac.lbdb
    """
    from twinlac.demo import run_demo

    result = run_demo(db if db is not None else default_db_path(), out_dir)
    load = result.load
    out.print(Text(
        f"Loaded {load.rows_read} agreements from {load.file.name}: {load.ties_added} new, "
        f"{load.ties_already_present} already in {result.db}."
    ))
    titles = {
        "agreements_by_country": "Agreements by LAC country",
        "agreements_by_level_and_kind": "Agreements by level and kind",
        "top_chinese_provinces": "Top Chinese provinces by number of ties",
    }
    for name, frame in result.tables.items():
        emit(frame, Format.table, title=titles.get(name, name))
    out.print(f"Network: {result.network_html.resolve()}")
    out.print(f"Map: {result.map_html.resolve()}")
    out.print(f"Done in {result.seconds:.1f} s.")


@app.command()
@friendly_errors
def load(
    file: Annotated[Optional[Path], typer.Argument(help="CSV, XLSX or JSON file [default: the bundled data].")] = None,
    fmt: Annotated[str, typer.Option("--format", help="auto, canonical, pairs or wikidata.")] = "auto",
    mapping: Annotated[Optional[list[str]], typer.Option(
        "--map", help="Pairs files: FIELD=COLUMN, e.g. a_name=city1 (repeatable).")] = None,
    source: Annotated[Optional[str], typer.Option("--source", help="Source URL for every row without one.")] = None,
    evidence: Annotated[Optional[str], typer.Option("--evidence", help="Evidence grade for rows without one.")] = None,
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help="Write the good rows; put the bad ones in a rejects file.")] = False,
    rejects: Annotated[Optional[Path], typer.Option("--rejects", help="Rejects file [default: FILE.rejects.csv].")] = None,
    wikidata_query: Annotated[bool, typer.Option(
        "--wikidata-query", help="Print the SPARQL query whose JSON result `load` reads, and exit.")] = False,
    db: DbOption = None,
    backend: BackendOption = Backend.embedded,
) -> None:
    """Load agreements: all rows or, on any error, none (unless --skip-invalid).

    Example: twinlac load world_pairs.csv --map a_name=city1 --map a_country=country1 --map b_name=city2 --map b_country=country2 --source https://example.org/list
    """
    from twinlac.loaders import load_file
    from twinlac.loaders.wikidata import query_text

    if wikidata_query:
        sys.stdout.write(query_text())
        return
    fields = {}
    for item in mapping or []:
        key, sep, value = item.partition("=")
        if not sep or not key or not value:
            raise typer.BadParameter(f"--map {item!r}: write FIELD=COLUMN")
        fields[key.strip()] = value.strip()
    with _open(db, backend) as store, _progress() as tick:
        report = load_file(store, file, format=fmt, mapping=fields or None, source=source, evidence=evidence,
                           skip_invalid=skip_invalid, rejects=rejects, on_row=tick)
    written = report.written
    out.print(Text(
        f"{report.file} ({report.format}): {report.rows_read} rows read, {report.rows_loaded} loaded, "
        f"{report.rows_rejected} rejected; {report.ties_added} ties added, "
        f"{report.ties_already_present} already present"
        + (f", {written.sources_added} gained a source" if written.sources_added else "")
        + (f", {report.duplicates_merged} duplicate statements merged" if report.duplicates_merged else "")
        + "."
    ))
    for row, column, value, how in report.resolutions:
        out.print(Text(f"  row {row}, {column} {value!r} -> {how}"))
    if report.unlocated:
        shown = ", ".join(report.unlocated[:10]) + (", ..." if len(report.unlocated) > 10 else "")
        out.print(Text(f"{len(report.unlocated)} new places have no coordinates (the map lists them): {shown}"))
    if report.rejects_file:
        for issue in report.issues:
            err.print(Text(f"rejected: {issue}"))
        out.print(Text(f"Rejected rows and reasons: {report.rejects_file}"))


class _progress:
    """A progress display for long loads (rows checked, then written); silent when not a terminal."""

    def __enter__(self):
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TextColumn("{task.completed:,} rows"),
                                  TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal)
        self._progress.__enter__()
        self._tasks: dict[str, int] = {}
        self._pending: dict[str, int] = {}
        return self.tick

    def tick(self, phase: str) -> None:
        # Counted here and shown every 1,000 rows: a display update per row would cost seconds per million.
        self._pending[phase] = self._pending.get(phase, 0) + 1
        if self._pending[phase] >= 1000:
            self._flush(phase)

    def _flush(self, phase: str) -> None:
        if phase not in self._tasks:
            self._tasks[phase] = self._progress.add_task("checking" if phase == "check" else "writing", total=None)
        self._progress.advance(self._tasks[phase], self._pending.pop(phase, 0))

    def __exit__(self, *exc):
        for phase in list(self._pending):
            self._flush(phase)
        return self._progress.__exit__(*exc)


@app.command()
@friendly_errors
def query(
    cypher: Annotated[Optional[str], typer.Argument(help="A Cypher statement.")] = None,
    name: Annotated[Optional[str], typer.Option("--name", "-n", help="Run a named query instead (see `twinlac queries`).")] = None,
    param: Annotated[Optional[list[str]], typer.Option("--param", "-p", help="Query parameter NAME=VALUE (repeatable).")] = None,
    fmt: FormatOption = Format.table,
    write: Annotated[bool, typer.Option("--write", help="Allow a query that changes the graph.")] = False,
    limit: Annotated[int, typer.Option("--limit", help="At most this many rows (0: no limit).")] = DEFAULT_MAX_ROWS,
    timeout: Annotated[float, typer.Option("--timeout", help="Stop the query after this many seconds.")] = DEFAULT_TIMEOUT,
    db: DbOption = None,
    backend: BackendOption = Backend.embedded,
) -> None:
    """Run a Cypher query (or a named one) and print the rows.

    Example: twinlac query --name province_agreements --param province=Jiangsu
    """
    from twinlac.queries import get_query, parse_value

    params = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise typer.BadParameter(f"--param {item!r}: write NAME=VALUE")
        params[key.strip()] = parse_value(value)
    if (cypher is None) == (name is None):
        raise typer.BadParameter("give either a CYPHER statement or --name NAME")
    if name is not None:
        named = get_query(name)
        cypher, params = named.cypher, named.bind(params)
    with _open(db, backend, read_only=not write) as store:
        frame = store.query(cypher, params, write=write, max_rows=limit or None, timeout=timeout)
    emit(frame, fmt)
    if frame.attrs.get("truncated"):
        err.print(f"(first {limit} rows shown; raise --limit to see more)")


@app.command()
def queries() -> None:
    """List the named queries and their parameters.

    Example: twinlac queries
    """
    from twinlac.queries import list_queries

    rows = [
        {"name": q.name, "title": q.title,
         "params": ", ".join(p.name + (f"={p.default}" if p.default is not None else "") for p in q.params)}
        for q in list_queries()
    ]
    emit(pd.DataFrame(rows), Format.table)


AsOfOption = Annotated[
    Optional[int], typer.Option("--as-of", help="The network as of this year: ties signed by then (undated ones left out).")
]
TableOption = Annotated[Optional[str], typer.Option("--table", help="Print only this table (see the output's titles).")]


def _analysis_graph(db, backend, evidence, as_of):
    with _open(db, backend, read_only=True) as store:
        return store.to_networkx(evidence=_evidence(evidence), as_of=as_of)


def emit_tables(tables: dict[str, pd.DataFrame], fmt: Format, table: Optional[str] = None) -> None:
    """Print named result tables: all as tables or one JSON object; CSV takes one (the first, or --table)."""
    if table is not None:
        if table not in tables:
            raise typer.BadParameter(f"no table {table!r}; choose from {', '.join(tables)}")
        tables = {table: tables[table]}
    if fmt is Format.json:
        payload = {name: records(frame) for name, frame in tables.items()}
        sys.stdout.write(json.dumps(payload if len(payload) > 1 else next(iter(payload.values())),
                                    ensure_ascii=False, indent=2, default=_plain) + "\n")
    elif fmt is Format.csv:
        emit(next(iter(tables.values())), fmt)
    else:
        for name, frame in tables.items():
            emit(frame, fmt, title=name if len(tables) > 1 else None)


def _filter_note(graph) -> None:
    """Say on stderr how many ties an analysis used and what the filters left out."""
    info = graph.graph
    parts = [f"{graph.number_of_edges()} ties used"]
    if info.get("ties_left_out"):
        by = info.get("ties_left_out_by", {})
        labels = {"scope": "outside China–LAC", "evidence": f"evidence not {','.join(info.get('evidence') or [])}",
                  "as_of": f"not signed by {info.get('as_of')}"}
        reasons = [f"{count} {labels[name]}" for name, count in by.items() if count]
        parts.append(f"{info['ties_left_out']} left out ({'; '.join(reasons)})")
    if info.get("ties_without_year"):
        parts.append(f"{info['ties_without_year']} of them for lack of a year")
    err.print(Text("(" + ", ".join(parts) + ")"))


@analyze_app.command("centrality")
@friendly_errors
def analyze_centrality(
    level: Annotated[str, typer.Option("--level", help="party (as signed), locality, province or country.")] = "party",
    top: Annotated[int, typer.Option("--top", help="Show the N most central (0: all).")] = 20,
    evidence: EvidenceOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
    db: DbOption = None,
    backend: BackendOption = Backend.embedded,
) -> None:
    """Hubs and brokers: degree, agreements, betweenness, PageRank, eigenvector, bipartite measures.

    Example: twinlac analyze centrality --level province --top 10
    """
    from twinlac.analysis import centrality

    graph = _analysis_graph(db, backend, evidence, as_of)
    try:
        frame = centrality(graph, level=level)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    emit(frame.head(top) if top else frame, fmt)
    _filter_note(graph)


@analyze_app.command("clusters")
@friendly_errors
def analyze_clusters(
    level: Annotated[str, typer.Option("--level", help="province or country.")] = "province",
    seeds: Annotated[int, typer.Option("--seeds", help="Louvain runs (seeds) to report the spread over.")] = 10,
    n_null: Annotated[int, typer.Option("--n-null", help="Degree-preserving rewirings for the null model.")] = 100,
    seed: Annotated[int, typer.Option("--seed", help="First random seed.")] = 0,
    table: TableOption = None,
    evidence: EvidenceOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
    db: DbOption = None,
    backend: BackendOption = Backend.embedded,
) -> None:
    """Communities (Louvain) against NBS regions and LAC subregions: ARI, NMI, modularity vs a null model.

    Example: twinlac analyze clusters --evidence official,press
    """
    from twinlac.analysis import clusters

    graph = _analysis_graph(db, backend, evidence, as_of)
    try:
        result = clusters(graph, level=level, n_seeds=seeds, seed=seed, n_null=n_null)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    emit_tables({"agreement": result.agreement, "modularity": result.modularity,
                 "partition": result.partition}, fmt, table or ("agreement" if fmt is not Format.json else None))
    _filter_note(graph)


@analyze_app.command("spillover")
@friendly_errors
def analyze_spillover(
    n_boot: Annotated[int, typer.Option("--n-boot", help="Bootstrap resamples for the attachment exponent.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the bootstrap.")] = 0,
    origin: Annotated[int, typer.Option("--origin", help="Year time to a first tie counts from (1973: Tianjin–Kobe).")] = 1973,
    table: TableOption = None,
    evidence: EvidenceOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
    db: DbOption = None,
    backend: BackendOption = Backend.embedded,
) -> None:
    """Does the coast keep its lead? Shares, Gini and Theil over provinces, attachment, diffusion.

    Example: twinlac analyze spillover --table concentration
    """
    from twinlac.analysis import spillover

    graph = _analysis_graph(db, backend, evidence, as_of)
    result = spillover(graph, n_boot=n_boot, seed=seed, origin=origin)
    emit_tables({
        "summary": result.summary,
        "shares": result.shares.overall,
        "concentration": result.concentration.by_year,
        "attachment kernel": result.attachment_province.kernel,
        "diffusion": result.diffusion.rates,
        "first tie": result.first_tie.medians,
    }, fmt, table or ("summary" if fmt is Format.table else None))
    _filter_note(graph)


@analyze_app.command("growth")
@friendly_errors
def analyze_growth(
    by: Annotated[Optional[str], typer.Option(
        "--by", help="country, subregion, level, kind, china_region or evidence.")] = None,
    table: TableOption = None,
    evidence: EvidenceOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
    db: DbOption = None,
    backend: BackendOption = Backend.embedded,
) -> None:
    """Ties by year and cumulative, in all or by country, level, kind; undated ties counted apart.

    Example: twinlac analyze growth --by country --table totals
    """
    from twinlac.analysis import growth

    graph = _analysis_graph(db, backend, evidence, as_of)
    try:
        result = growth(graph, by=by)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    emit_tables({"totals": result.totals, "by year": result.table}, fmt, table)
    _filter_note(graph)


@analyze_app.command("mixing")
@friendly_errors
def analyze_mixing(
    level: Annotated[str, typer.Option("--level", help="party or province (degree assortativity).")] = "province",
    n_null: Annotated[int, typer.Option("--n-null", help="Degree-preserving rewirings for the null model.")] = 100,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the null model.")] = 0,
    table: TableOption = None,
    evidence: EvidenceOption = None,
    as_of: AsOfOption = None,
    fmt: FormatOption = Format.table,
    db: DbOption = None,
    backend: BackendOption = Backend.embedded,
) -> None:
    """Who twins with whom: degree assortativity, region mixing, and whether distance predicts a tie.

    Example: twinlac analyze mixing --table distance
    """
    from twinlac.analysis import assortativity, distance_effect, region_mixing

    graph = _analysis_graph(db, backend, evidence, as_of)
    try:
        degree = assortativity(graph, level=level, n_null=n_null, seed=seed)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    distance = distance_effect(graph)
    summary = pd.DataFrame([{
        "mean_tie_km": distance.mean_tie_km, "mean_pair_km": distance.mean_pair_km,
        "distance_ratio": distance.distance_ratio, "slope": distance.slope, **distance.counts,
    }])
    emit_tables({"assortativity": degree, "region mixing": region_mixing(graph),
                 "distance": distance.by_distance, "distance summary": summary},
                fmt, table or ("assortativity" if fmt is not Format.json else None))
    _filter_note(graph)


@app.command()
@friendly_errors
def viz(
    output: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path("twinlac-out/network.html"),
    level: Annotated[str, typer.Option("--level", help="locality (places as signed), province or country.")] = "locality",
    size_by: Annotated[str, typer.Option("--size-by", help="degree, weighted (agreements), betweenness or pagerank.")] = "degree",
    evidence: EvidenceOption = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
    backend: BackendOption = Backend.embedded,
) -> None:
    """Write the interactive network as one offline HTML page.

    Example: twinlac viz --level province --size-by pagerank --evidence official,press -o well-sourced.html
    """
    from twinlac.viz import write_network_html

    graph = _analysis_graph(db, backend, evidence, as_of)
    try:
        path = write_network_html(graph, output, level=level, size_by=size_by)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    out.print(Text(f"{graph.number_of_edges()} ties at {level} level: {path}"))
    _filter_note(graph)


@app.command("map")
@friendly_errors
def map_command(
    output: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path("twinlac-out/map.html"),
    evidence: EvidenceOption = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
    backend: BackendOption = Backend.embedded,
) -> None:
    """Write the ties as lines on a world map, one offline HTML page (places without coordinates listed).

    Example: twinlac map --evidence official,press
    """
    from twinlac.viz import write_map_html

    graph = _analysis_graph(db, backend, evidence, as_of)
    path = write_map_html(graph, output)
    missing = sum(1 for _, d in graph.nodes(data=True) if d.get("lat") is None or d.get("lon") is None)
    out.print(Text(f"{graph.number_of_edges()} ties, {missing} places without coordinates (listed on the page): {path}"))
    _filter_note(graph)


@app.command()
@friendly_errors
def report(
    output: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")] = Path("twinlac-out/report.html"),
    title: Annotated[str, typer.Option("--title", help="Page title.")] = "China–LAC twinning report",
    network_level: Annotated[str, typer.Option(
        "--network-level", help="Level of the embedded network: province, locality, country or none.")] = "province",
    chart_format: Annotated[str, typer.Option("--chart-format", help="svg or png.")] = "svg",
    evidence: EvidenceOption = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
    backend: BackendOption = Backend.embedded,
) -> None:
    """Write one offline page: summary, charts, centrality, clusters, spillover, the network, and
    the published figures beside what the data holds.

    Example: twinlac report --evidence official,press -o twinlac-out/well-sourced-report.html
    """
    from twinlac.viz import write_report

    with _open(db, backend, read_only=True) as store:
        graph = store.to_networkx(evidence=_evidence(evidence), as_of=as_of)
        unfiltered = store.to_networkx() if (evidence or as_of is not None) else None
    try:
        path = write_report(graph, output, unfiltered=unfiltered, title=title, chart_format=chart_format,
                            network_level=None if network_level == "none" else network_level)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    out.print(Text(f"Report: {path}"))
    _filter_note(graph)


@app.command()
@friendly_errors
def charts(
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Folder for the chart files.")] = Path("twinlac-out/charts"),
    fmt: Annotated[str, typer.Option("--format", "-f", help="png or svg.")] = "png",
    evidence: EvidenceOption = None,
    as_of: AsOfOption = None,
    db: DbOption = None,
    backend: BackendOption = Backend.embedded,
) -> None:
    """Write the static charts: growth by year and country, Lorenz curves, top provinces and places.

    Example: twinlac charts --format svg -o twinlac-out/charts
    """
    from twinlac.viz import charts as c

    if fmt not in ("png", "svg"):
        raise typer.BadParameter(f"--format {fmt!r}: use png or svg")
    graph = _analysis_graph(db, backend, evidence, as_of)
    made = {
        "growth": c.growth_chart(graph), "lorenz": c.lorenz_chart(graph),
        "top_provinces": c.top_provinces_chart(graph), "top_localities": c.top_localities_chart(graph),
    }
    for name, figure in made.items():
        out.print(Text(str(c.save_chart(figure, Path(out_dir) / f"{name}.{fmt}"))))
    _filter_note(graph)


@app.command()
@friendly_errors
def info(db: DbOption = None, backend: BackendOption = Backend.embedded) -> None:
    """Count the nodes and relationships in the store.

    Example: twinlac info
    """
    with _open(db, backend, read_only=True) as store:
        counts = store.counts()
    emit(pd.DataFrame({"table": list(counts), "count": list(counts.values())}), Format.table)


if __name__ == "__main__":  # pragma: no cover
    app()

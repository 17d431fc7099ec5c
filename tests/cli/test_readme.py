"""The README's Python example runs as written, against a new store in a temporary folder."""

import shutil
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _python_snippet() -> str:
    section = README.split("### Python", 1)[1]
    return section.split("```python", 1)[1].split("```", 1)[0]


def test_readme_python_snippet_runs(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "data" / "examples", tmp_path / "data" / "examples")
    monkeypatch.chdir(tmp_path)
    scope: dict = {}
    exec(compile(_python_snippet(), "README.md", "exec"), scope)  # noqa: S102 - our own README
    store = scope["store"]
    # ten pairs: seven China–LAC already in the bundled data, three outside LAC (Japan, United States)
    ties = store.query("MATCH ()-[t:TWINNED_WITH]->() RETURN count(t) AS n")["n"].iloc[0]
    bundled = len(pd.read_csv(ROOT / "data" / "china_lac_twinnings.csv", dtype=str))
    assert ties == bundled + 3
    assert (tmp_path / "twinlac-out" / "network.html").exists()
    assert "ties used" in scope["describe_filters"](scope["G"])
    store.close()

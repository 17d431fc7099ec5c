"""Pages of large graphs in a real browser, forced on a small graph: grouped lines that list their first
agreements only (and write shared facets once), and the map bundled per pair of provinces."""

from __future__ import annotations

import pytest

from twinlac.viz import map as mapmod
from twinlac.viz import map_html, network_html, payload

from .test_browser import MAP_READY, counts, map_counts, pages, select_edge  # noqa: F401 - pages is a fixture
from .test_large_pages import provinces_graph

pytestmark = pytest.mark.slow


def test_capped_province_page_filters_every_agreement(pages, monkeypatch):  # noqa: F811
    monkeypatch.setattr(payload, "ITEM_BUDGET", 4)  # the four-agreement line lists two
    html = network_html(provinces_graph(), level="province")
    with pages.open(html) as probe:
        page = probe.page
        assert counts(probe) == {"places": 4, "ties": 3, "agreements": 6}
        # the country filter reads the facets' country, written once per line on this page
        page.uncheck('input[data-filter="country"][value="PE"]')
        assert counts(probe) == {"places": 3, "ties": 2, "agreements": 5}
        page.check('input[data-filter="country"][value="PE"]')
        page.uncheck('input[data-filter="kind"][value="friendship"]')
        assert counts(probe)["agreements"] == 4
        page.check('input[data-filter="kind"][value="friendship"]')
        edge = probe.js("() => window.twinlacNetwork.edges.get({filter: e => e.count === 4})[0].id")
        select_edge(probe, edge)
        details = page.text_content("#tw-details")
        assert "the first 2 of 4 agreements" in details
        assert probe.js("document.querySelectorAll('#tw-details li').length") == 2
        probe.assert_clean()


def test_bundled_map_renders_and_filters(pages, monkeypatch):  # noqa: F811
    monkeypatch.setattr(mapmod, "BUNDLE_TIES", 2)
    with pages.open(map_html(provinces_graph()), ready=MAP_READY) as probe:
        assert map_counts(probe) == {"places": 4, "ties": 3, "missing": 0, "undrawn": 0}
        assert probe.js("document.querySelectorAll('#tw-ties path').length") == 3
        assert "province pairs drawn" in probe.page.text_content("#tw-counts")
        # friendship only on the mixed São Paulo line and on Suzhou–Lima (one kind): that line goes
        probe.page.uncheck('input[data-filter="kind"][value="friendship"]')
        assert map_counts(probe)["ties"] == 2
        probe.assert_clean()

"""How the visual views cope with a large project: the term map's draw, pick, relabel
and HTML size on a large vocabulary, and the over-time and outlet figures on many documents.

Builds a term map of ``--terms`` terms (Zipf-distributed counts, the shape of a real
vocabulary) and prints the time to draw it (Agg, the renderer under the Qt canvas), to
pick the nearest term for ``--picks`` clicks, to relabel after a zoom, and the size of
the interactive HTML section; then the over-time (weekly, bootstrap intervals),
before/after and outlet figures over ``--documents`` documents. Times are medians of ``--repeat`` runs, wall seconds.

Usage::

    python -m benchmarks.bench_views --terms 50000
"""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
import pandas as pd


def synthetic_results(n_terms: int, seed: int = 0):
    """Results holding only a term map of ``n_terms`` terms between groups a and b."""
    from analysis.keyness import log_odds_dirichlet
    from analysis.results import Results

    rng = np.random.default_rng(seed)
    count_a = np.minimum(rng.zipf(1.7, n_terms), 50_000) - 1
    count_b = np.minimum(rng.zipf(1.7, n_terms), 50_000) - 1
    pooled = (count_a + count_b) / (count_a + count_b).sum()
    _delta, z = log_odds_dirichlet(count_a, count_b, 500 * pooled)
    table = pd.DataFrame({"comparison": "a|b", "term": [f"term{i:05d}" for i in range(n_terms)],
                          "z": z, "count_a": count_a, "count_b": count_b,
                          "freq_a": count_a / count_a.sum() * 1e6,
                          "freq_b": count_b / count_b.sum() * 1e6})
    data = {"groups": {"a": {"n_documents": 5000}, "b": {"n_documents": 5000}},
            "comparisons": [{"a": "a", "b": "b"}]}
    return Results(data, {"term_map": table})


def synthetic_documents(n_docs: int, seed: int = 0) -> pd.DataFrame:
    """A ``documents`` table of ``n_docs`` dated documents in 3 groups of 12 outlets."""
    rng = np.random.default_rng(seed)
    dates = pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 730, n_docs), "D")
    return pd.DataFrame({"group_label": rng.choice(["chinese", "russian", "western"], n_docs),
                         "outlet": [f"outlet {i}" for i in rng.integers(0, 12, n_docs)],
                         "date": dates.strftime("%Y-%m-%d"),
                         "sentiment.mean": rng.normal(0.05, 0.3, n_docs)})


def _split_timings(documents: pd.DataFrame) -> tuple[float, float, float]:
    """Compare's split (by year, by outlet) and outlet points on a documents table with
    60 figure columns, as the app computes them."""
    from analysis.results import Results
    from analysis.split import outlet_means, split_results

    rng = np.random.default_rng(1)
    n = len(documents)
    figures = {f"frames.cb.f{i}": rng.random(n) for i in range(20)}
    figures.update({f"markers.m{i}": rng.random(n) * 5 for i in range(20)})
    figures.update({f"readability.r{i}": rng.normal(50, 10, n) for i in range(19)})
    table = documents.assign(doc_id=[f"d{i}" for i in range(n)], **figures)
    groups = sorted(table["group_label"].unique())
    results = Results({"groups": {g: {} for g in groups}, "comparisons": []},
                      {"documents": table})
    t_year = _median(lambda: split_results(results, "year"), 1)
    t_outlet = _median(lambda: split_results(results, "outlet"), 1)
    t_points = _median(lambda: outlet_means(results, "frames", [f"cb.f{i}" for i in range(20)],
                                            groups), 1)
    return t_year, t_outlet, t_points


def _median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=50_000)
    parser.add_argument("--picks", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--documents", type=int, default=10_000,
                        help="documents for the over-time and outlet figures")
    args = parser.parse_args(argv)

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from analysis.charts.termmap import draw_term_map, relabel_term_map
    from analysis.report.options import ReportOptions
    from analysis.report.views import _payload, views_html

    results = synthetic_results(args.terms)
    fig = Figure(figsize=(12.8, 6.4), dpi=100)
    canvas = FigureCanvasAgg(fig)

    def draw():
        fig.clear()
        draw_term_map(fig.add_subplot(), results, comparison=("a", "b"))
        canvas.draw()

    draw()  # fonts and caches warm
    t_draw = _median(draw, args.repeat)
    ax = fig.axes[0]
    tm = ax._sinoru_term_map[0]
    rng = np.random.default_rng(1)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    clicks = np.column_stack([rng.uniform(x0, x1, args.picks), rng.uniform(y0, y1, args.picks)])
    scale = (ax.bbox.width / (x1 - x0), ax.bbox.height / (y1 - y0))
    t_first = _median(lambda: (tm._trees.clear(), tm.nearest(*clicks[0], scale=scale)), 1)
    t_pick = _median(lambda: [tm.nearest(x, y, scale=scale, max_distance=8)
                              for x, y in clicks], args.repeat) / args.picks

    def zoom_and_relabel():
        ax.set_xlim(x0 + (x1 - x0) * 0.3, x1 - (x1 - x0) * 0.3)
        relabel_term_map(ax)
        canvas.draw()
        ax.set_xlim(x0, x1)

    t_zoom = _median(zoom_and_relabel, args.repeat)

    class _Doc:
        def __init__(self):
            self.parts = []

        def heading(self, text, level):
            self.parts.append(text)

        def add(self, fragment):
            self.parts.append(fragment)

    doc = _Doc()
    t_payload = _median(lambda: _payload(results, ("a", "b")), 1)
    views_html(doc, results, ReportOptions())
    size = sum(len(p.encode("utf-8")) for p in doc.parts)
    from analysis.outlet_points import outlet_points
    from analysis.timeline import before_after, over_time

    documents = synthetic_documents(args.documents)
    t_weeks = _median(lambda: over_time(documents, "sentiment.mean", freq="week"), 1)
    t_event = _median(lambda: before_after(documents, "sentiment.mean",
                                           pd.Timestamp("2022-02-24").date()), 1)
    t_outlets = _median(lambda: outlet_points(documents, "sentiment.mean"), 1)
    t_split_year, t_split_outlet, t_points = _split_timings(documents)
    rows = [("terms", f"{args.terms:,}"),
            ("draw the map (Agg, 1280x640 px)", f"{t_draw:.3f} s"),
            ("first pick (builds the KD-tree)", f"{t_first * 1e3:.2f} ms"),
            ("pick, per click", f"{t_pick * 1e6:.1f} \u00b5s"),
            ("zoom + relabel + redraw", f"{t_zoom:.3f} s"),
            ("HTML section: build payload", f"{t_payload:.3f} s"),
            ("HTML section: size", f"{size / 1e6:.2f} MB"),
            (f"over time by week, {args.documents:,} documents", f"{t_weeks:.3f} s"),
            ("before/after an event (permutation test)", f"{t_event:.3f} s"),
            ("outlets inside groups", f"{t_outlets:.3f} s"),
            ("split by year, 60 figures (6 cells)", f"{t_split_year:.3f} s"),
            ("split by outlet, 60 figures (36 cells)", f"{t_split_outlet:.3f} s"),
            ("outlet points, 20 frame rows", f"{t_points:.3f} s")]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()

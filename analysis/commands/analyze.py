"""``sinoru analyze``: import articles, analyse them, write results.json and CSV tables."""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from analysis.commands.console import ProgressBar, error, manifest_missing, say
from analysis.config import OPTIONAL_ANALYZERS, TARGET_MODELS
from analysis.names import display_name

__all__ = ["register", "run"]


def register(sub, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(
        name, help="analyse articles and compare groups",
        description="Import articles, measure frames, sentiment (also toward targets), "
                    "distinctive vocabulary, stance markers, readability and topics, and "
                    "compare the groups. Writes results.json (docs/results-schema.md) and "
                    "one CSV per table into --out.")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files or folders of articles")
    p.add_argument("--manifest", help="CSV naming metadata per file (column 'file')")
    p.add_argument("--text-column", help="text column of table files (csv, xlsx, jsonl)")
    p.add_argument("--html", choices=("article", "whole-page"), default="article",
                   help="web pages: keep the article (default) or the whole page")
    p.add_argument("--group-by", default="group", metavar="COLUMN",
                   help="metadata column that defines the groups (default: group)")
    p.add_argument("--groups", nargs="+", metavar="NAME",
                   help="compare only these groups (default: every group present)")
    p.add_argument("--codebook", action="append", metavar="NAME|FILE",
                   help="codebook to apply (built-in: generic, policy, china_russia; or a "
                        "YAML, LIWC .dic or WordStat .cat file). Repeat for several. "
                        "Default: all three built-in codebooks")
    p.add_argument("--targets", metavar="FILE", help="targets YAML (default: built-in targets)")
    p.add_argument("--target-model", choices=TARGET_MODELS, default="auto",
                   help="sentiment-toward-target model: linear (fast), transformer (more "
                        "accurate, about 60 times slower) or vader (default: auto = linear)")
    p.add_argument("--topics", type=int, default=6, help="number of NMF topics (default 6)")
    p.add_argument("--seed", type=int, help="random seed for bootstrap and permutation tests")
    p.add_argument("--n-boot", type=int, default=2000, help="bootstrap resamples (default 2000)")
    p.add_argument("--n-perm", type=int, default=10_001,
                   help="random label arrangements when a test cannot enumerate them all "
                        "(at most 20,000); never fewer than 10,001 (default)")
    p.add_argument("--weigh-outlets-equally", action="store_true",
                   help="make each group figure the mean of its outlets' means, so one "
                        "prolific outlet cannot speak for its group (saved in results.json)")
    p.add_argument("--min-docs", type=int, default=2,
                   help="keyness dispersion filter: terms used in at least this many documents")
    p.add_argument("--skip", action="append", choices=tuple(OPTIONAL_ANALYZERS),
                   metavar="ANALYZER",
                   help="switch off an optional analyzer (its figures stay empty): "
                        + ", ".join(OPTIONAL_ANALYZERS) + ". Repeat for several")
    p.add_argument("--jobs", type=_jobs, metavar="N",
                   help="worker processes for the per-document analyses and for writing "
                        "the large tables (default: one per core for large corpora, none for "
                        "small ones; 1: no worker process, not even beside them for topics "
                        "and term counts)")
    p.add_argument("--cache", metavar="FILE",
                   help="SQLite file of per-document results: a re-run reuses them and "
                        "recomputes only what changed (e.g. frames after a codebook edit)")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder")
    p.add_argument("--pdf", metavar="FILE", help="also write the PDF report here")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run the analysis on an existing Dask cluster, e.g. "
                        "tcp://HOST:8786 (needs: pip install \"sinoru-desktop[cluster]\"; "
                        "docs/scale.md). Default: this machine")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of processes (1 or more)")
    return jobs


def _open_cache(path: str | None):
    """The --cache file (created when missing), or None; OSError names the problem."""
    if path is None:
        return None
    from analysis.doc_cache import SqliteDocumentCache

    if Path(path).is_dir():
        raise OSError(f"{path}: cannot use as a cache file (it is a folder)")
    return SqliteDocumentCache(path)


def _config(args):
    from analysis.config import AnalysisConfig, KeynessConfig

    defaults = AnalysisConfig()
    codebooks = tuple(args.codebook) if args.codebook else defaults.codebooks
    return AnalysisConfig(
        group_by=args.group_by, groups=tuple(args.groups or ()), codebooks=codebooks,
        targets=args.targets, target_model=args.target_model, n_topics=args.topics,
        seed=defaults.seed if args.seed is None else args.seed, n_boot=args.n_boot,
        n_perm=args.n_perm, weigh_outlets_equally=args.weigh_outlets_equally,
        keyness=KeynessConfig(min_docs=args.min_docs), skip=tuple(dict.fromkeys(args.skip or ())))


def run(args) -> int:
    from analysis.ingest import import_paths
    from analysis.pipeline import resolve_inputs, run_analysis

    config = _config(args)
    try:
        inputs = resolve_inputs(config)
    except (OSError, ValueError) as exc:  # CodebookError is a ValueError
        error(str(exc))
        return 2
    if manifest_missing(args.manifest):
        return 2
    problem = _output_problem(Path(args.out))
    if problem:  # found before the analysis, not after minutes of work
        error(f"{args.out}: cannot write results ({problem})")
        return 2
    pdf_dir = Path(args.pdf).parent if args.pdf else None
    if pdf_dir is not None and not pdf_dir.is_dir():
        error(f"{args.pdf}: cannot write the PDF report ({pdf_dir} is not a folder)")
        return 2
    try:  # a cache file that cannot be used is found before the analysis too
        cache = _open_cache(args.cache)
    except OSError as exc:
        error(str(exc))
        return 2
    if cache is not None:
        cache.close()
    missing = [p for p in args.inputs if not Path(p).exists()]
    for p in missing:
        error(f"{p}: no such file or folder")
    imported = import_paths([p for p in args.inputs if p not in missing],
                            manifest=args.manifest, text_column=args.text_column,
                            html=args.html,
                            progress=ProgressBar("Importing", enabled=not args.quiet))
    report = imported.report
    for item in report.skipped:
        error(f"skipped {item.path}: {item.reason}")
    for warning in report.warnings:
        error(warning)
    corpus = imported.corpus
    if len(corpus) == 0:
        error("no readable articles: nothing to analyse")
        return 2
    if config.groups:
        present = sorted({d.get(config.group_by) for d in corpus} - {""})
        absent = [g for g in config.groups if g not in present]
        for g in absent:
            error(f"--groups: no document has {config.group_by} = '{g}' (present: "
                  f"{', '.join(present) or 'none'})")
        if len(absent) == len(config.groups):
            return 2
    name = Path(args.inputs[0]).resolve().name
    cache = _open_cache(args.cache)
    progress = ProgressBar("Analysing", enabled=not args.quiet)
    copies = _EarlyCopies(args.out, args.jobs)
    try:
        if args.scheduler:  # both stages on the cluster
            from analysis.cluster import ClusterError, analyze_on_cluster

            try:
                results = analyze_on_cluster(args.scheduler, corpus, config, progress,
                                             inputs=inputs, corpus_name=name, cache=cache)
            except ClusterError as exc:
                error(f"--scheduler: {exc}")
                return 2
        else:
            results = run_analysis(corpus, config, progress, inputs=inputs, corpus_name=name,
                                   cache=cache, jobs=args.jobs,
                                   row_tables=copies.start if args.jobs != 1 else None)
        try:
            if args.jobs == 1:
                results.write(args.out)
            else:  # the row tables on disk are written by worker processes meanwhile
                from analysis.parallel_write import write_results

                write_results(results, args.out, args.jobs, started=copies.started)
        except OSError as exc:
            error(f"{args.out}: cannot write results ({exc.strerror or exc})")
            return 2
    finally:
        copies.cancel()  # an analysis or a write that failed leaves none of its files
        if cache is not None:
            cache.close()  # what was computed is kept, even when interrupted
    pdf_failed = False
    if args.pdf:
        from analysis.report import build_pdf

        try:
            build_pdf(results, args.pdf)
        except OSError as exc:
            error(f"{args.pdf}: cannot write the PDF report ({exc.strerror or exc})")
            pdf_failed = True
    _summary(results, args.out)
    for warning in results.warnings:
        say(f"warning: {warning}", err=True)
    return 1 if (report.skipped or missing or pdf_failed) else 0


def _output_problem(out: Path) -> str:
    """Why results cannot be written into ``out`` ("" when they can)."""
    if out.exists() and not out.is_dir():
        return "a file of that name exists; give a folder"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return exc.strerror or str(exc)
    if not out.is_dir():
        return "not a folder"
    if not os.access(out, os.W_OK):
        return "folder not writable"
    return ""


class _EarlyCopies:
    """The row tables' CSV files, started while the groups are compared
    (:class:`analysis.parallel_write.TableCopies`) on every core but the one comparing."""

    def __init__(self, out: str, jobs: int | None) -> None:
        self.out, self.jobs = out, jobs
        self.started = None

    def start(self, tables: dict) -> None:
        from analysis.map_stage import default_jobs
        from analysis.parallel_write import TableCopies

        if not tables:
            return
        try:
            self.started = TableCopies(tables, self.out, max(1, (self.jobs or default_jobs()) - 1))
        except OSError:
            self.started = None  # written afterwards, where a failure is reported

    def cancel(self) -> None:
        if self.started is not None:
            self.started.cancel()


def _summary(results, out) -> None:
    groups = results.groups
    n_docs = len(results.data.get("documents", []))
    if not groups:
        say(f"Analysed {n_docs} documents; no groups to compare (no document has a "
            f"value in '{results.data.get('group_by', 'group')}').")
    else:
        parts = [f"{g}: {b['n_documents']} documents, {b['n_outlets']} outlets"
                 for g, b in groups.items()]
        say(f"Analysed {n_docs} documents in {len(groups)} groups ({'; '.join(parts)}).")
    for comp in results.comparisons[:1]:
        for side in ("a", "b"):
            terms = ", ".join(t["term"] for t in comp["keyness"][side][:8])
            say(f"Most distinctive of {comp[side]}: {terms}")
    say(f"Results written to {display_name(str(out))}/results.json")

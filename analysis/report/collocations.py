"""Collocations of each target in the reports: what each group says around "Russia",
"the partnership", "NATO" (analysis.collocations), a section per target in the PDF and the
HTML page, and the whole table in the workbook and the CSV folder."""
from __future__ import annotations

import pandas as pd

from analysis.charts._common import data_of, num
from analysis.collocations import WINDOW
from analysis.report.content import DisplayTable
from analysis.report.options import ReportOptions

__all__ = ["TOP_COLLOCATES", "collocation_frame", "collocation_sections", "collocations_pdf",
           "collocations_html"]

#: Collocates per group and target in a report (strongest logDice first); the workbook
#: and the CSV folder carry every one.
TOP_COLLOCATES = 8
_HEADERS = ["Group", "Collocate", "Together", "Documents", "logDice", "MI", "G²"]


def _target_labels(data: dict) -> dict[str, str]:
    return {t.get("id"): t.get("label") or t.get("id") for t in data.get("targets") or []}


def collocation_frame(results) -> pd.DataFrame:
    """Every collocation with readable names: ``group, target`` (its label),
    ``collocate, together`` (co-occurrences), ``documents`` (documents with one),
    ``mentions`` (of the target in the group), ``collocate_total`` (the word in the
    group), ``log_dice, mi, g2``."""
    table = (getattr(results, "tables", None) or {}).get("collocations")
    columns = ["group", "target", "collocate", "together", "documents", "mentions",
               "collocate_total", "log_dice", "mi", "g2"]
    if table is None or table.empty:
        return pd.DataFrame(columns=columns)
    labels = _target_labels(data_of(results))
    out = table.rename(columns={"f_xy": "together", "docs": "documents", "f_x": "mentions",
                                "f_y": "collocate_total"}).copy()
    out["target"] = out["target"].map(lambda t: labels.get(t, t))
    return out[columns].reset_index(drop=True)


def collocation_sections(results, top_n: int = TOP_COLLOCATES) -> list[tuple[str, DisplayTable]]:
    """``(target label, table)`` per target with collocates: each group's ``top_n``
    strongest collocates by logDice, with their counts."""
    frame = collocation_frame(results)
    order = {label: i for i, label in enumerate(_target_labels(data_of(results)).values())}
    out = []
    targets = sorted(frame["target"].unique(), key=lambda t: (order.get(t, len(order)), t))
    for target in targets:
        rows = frame[frame["target"] == target]
        shown, mentions = [], []
        for group, cell in rows.groupby("group", sort=True):
            mentions.append(f"{group} {int(cell['mentions'].iloc[0]):,}")
            best = cell.sort_values(["log_dice", "together"], ascending=False,
                                    kind="stable").head(top_n)
            shown += [[group, str(r.collocate), f"{int(r.together):,}", f"{int(r.documents):,}",
                       num(r.log_dice), num(r.mi), num(r.g2)] for r in best.itertuples()]
        note = (f"Mentions of {target}: {', '.join(mentions)}. Words within {WINDOW} words "
                "of a mention (same sentence, stop words left out); together: times beside "
                "a mention; documents: documents where they stand together. logDice (at "
                "most 14) ranks them and compares groups of different sizes; MI: how much "
                "likelier the word is near the mention; G²: log-likelihood. "
                f"The {top_n} strongest per group; every collocation is in the tables "
                "(XLSX/CSV).")
        out.append((str(target), DisplayTable(_HEADERS, shown, [1.6, 2.2, 1, 1, 1, 1, 1],
                                              note)))
    return out


def _wanted(options: ReportOptions) -> bool:
    return options.includes("charts") or options.includes("tables")


def collocations_pdf(pdf, results, options: ReportOptions) -> None:
    """Add a section per target to the PDF."""
    if not _wanted(options):
        return
    for target, table in collocation_sections(results):
        pdf.need(80)   # the heading, its note and the table's first rows together
        pdf.heading(f"Collocations of {target}", 1)
        pdf.para(table.note, size=8, style="I", color=(110, 110, 110), gap=2)
        pdf.display_table(DisplayTable(table.columns, table.rows, table.widths))


def collocations_html(doc, results, options: ReportOptions) -> None:
    """Add a section per target to the HTML page (``doc`` is its section writer)."""
    from analysis.report.html import _table

    if not _wanted(options):
        return
    for target, table in collocation_sections(results):
        doc.heading(f"Collocations of {target}", 1)
        doc.add(_table(table))


def outline_line(results, options: ReportOptions) -> list[str]:
    """The report outline's line for the collocations (none when there are none)."""
    if not _wanted(options):
        return []
    targets = [t for t, _ in collocation_sections(results, top_n=1)]
    return [f"Collocations: {', '.join(targets)}"] if targets else []

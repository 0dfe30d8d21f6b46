"""The import report: what was imported, what was skipped and why, duplicates, warnings."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from analysis.corpus import Corpus
from analysis.display import escaped
from analysis.ingest.dedup import Duplicate

__all__ = ["ImportedRow", "SkippedRow", "ImportReport", "ImportResult"]


@dataclass(frozen=True)
class ImportedRow:
    """One imported document: its source (``path`` or ``path#row N``), id, word count
    after boilerplate removal, and the encoding its bytes were decoded from ("" for
    binary formats such as PDF)."""

    path: str
    doc_id: str
    n_words: int
    encoding: str


_MAX_REASON = 300


@dataclass(frozen=True)
class SkippedRow:
    """A file or table row that was not imported, with a one-line reason (library
    messages quoted in a reason can span lines or pages: they are cut to one short line)."""

    path: str
    reason: str

    def __post_init__(self) -> None:
        line = " ".join(self.reason.split())
        if len(line) > _MAX_REASON:
            line = line[:_MAX_REASON - 1] + "…"
        object.__setattr__(self, "reason", line)


@dataclass
class ImportReport:
    """Everything a user needs to trust an import.

    Attributes
    ----------
    imported : list of ImportedRow
    skipped : list of SkippedRow
    duplicates : list of Duplicate
        Exact and near-duplicate sets; duplicates are reported, never dropped.
    warnings : list of str
        Manifest problems, guessed text columns and other notes that need a look.
    """

    imported: list[ImportedRow] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def n_words(self) -> int:
        return sum(r.n_words for r in self.imported)

    @property
    def exit_code(self) -> int:
        """0 everything imported, 1 something skipped, 2 nothing usable."""
        if not self.imported:
            return 2
        return 1 if self.skipped else 0

    def to_dict(self) -> dict:
        """JSON-ready form: ``{"summary", "imported", "skipped", "duplicates", "warnings"}``."""
        return {
            "summary": {"n_imported": len(self.imported), "n_skipped": len(self.skipped),
                        "n_words": self.n_words, "n_duplicates": len(self.duplicates),
                        "n_warnings": len(self.warnings)},
            "imported": [asdict(r) for r in self.imported],
            "skipped": [asdict(r) for r in self.skipped],
            "duplicates": [d.to_dict() for d in self.duplicates],
            "warnings": list(self.warnings),
        }

    def format(self, max_rows: int = 50) -> str:
        """The report as plain text for a terminal or a dialog.

        ``max_rows`` limits the list of imported documents (skipped files, duplicates and
        warnings are always listed in full). File names and reasons are shown escaped, so
        a name cannot drive a terminal or forge a line.
        """
        n_exact = sum(d.kind == "exact" for d in self.duplicates)
        n_near = len(self.duplicates) - n_exact
        lines = [f"Imported {len(self.imported):,} document(s), {self.n_words:,} words; "
                 f"skipped {len(self.skipped):,}; duplicates: {n_exact} exact set(s), "
                 f"{n_near} near-duplicate set(s)."]
        if self.skipped:
            lines += ["", "Skipped:"] + [f"  {escaped(r.path)}: {escaped(r.reason)}"
                                         for r in self.skipped]
        if self.duplicates:
            lines += ["", "Duplicates (all kept; exclude them if they are wire copies):"]
            for d in self.duplicates:
                label = "exact" if d.kind == "exact" else f"near {d.similarity:.2f}"
                ids = ", ".join(d.doc_ids[:10])
                more = f" and {len(d.doc_ids) - 10:,} more" if len(d.doc_ids) > 10 else ""
                lines.append(f"  {label}: {ids}{more}")
        if self.warnings:
            lines += ["", "Warnings:"] + [f"  {escaped(w)}" for w in self.warnings]
        if self.imported:
            lines += ["", "Documents:"]
            width = min(40, max(len(r.doc_id) for r in self.imported))
            for r in self.imported[:max_rows]:
                enc = f"  [{escaped(r.encoding)}]" if r.encoding else ""
                lines.append(f"  {r.doc_id:<{width}}  {r.n_words:>7,} words  "
                             f"{escaped(r.path)}{enc}")
            if len(self.imported) > max_rows:
                lines.append(f"  ... and {len(self.imported) - max_rows:,} more")
        return "\n".join(lines)


@dataclass
class ImportResult:
    """What :func:`analysis.ingest.import_paths` returns: the corpus and its report."""

    corpus: Corpus
    report: ImportReport

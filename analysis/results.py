"""Results of one analysis: the results.json structure plus the detail tables behind it.

See docs/results-schema.md for every key.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analysis.atomic import write_text_atomic
from analysis.cells import restore_formulas, write_csv
from analysis.names import json_text

__all__ = ["Results", "SCHEMA", "SCHEMA_VERSION", "ResultsError", "clean_json"]

SCHEMA = "sinoru.results"
SCHEMA_VERSION = 1

#: Detail tables (name -> CSV file) kept beside results.json.
TABLES = ("documents", "group_summary", "keyness", "tests", "frame_matches",
          "target_mentions", "sentences", "marker_matches", "topics",
          "term_map", "word_shift", "collocations")


class ResultsError(ValueError):
    """A results file that cannot be read (wrong schema, damaged JSON)."""


def clean_json(value):
    """Make a value JSON-safe: NaN/inf become None, numpy scalars become Python numbers."""
    if isinstance(value, dict):
        return {str(k): clean_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_json(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass(frozen=True)
class Results:
    """One analysis run.

    ``data`` is the results.json structure; ``tables`` the detail DataFrames
    (``documents``, ``frame_matches``, ``target_mentions``, ``sentences`` …) with the
    columns listed in docs/results-schema.md.
    """

    data: dict
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)

    # Convenience views -------------------------------------------------------------
    @property
    def groups(self) -> dict:
        return self.data.get("groups", {})

    @property
    def group_names(self) -> list[str]:
        return list(self.groups)

    @property
    def comparisons(self) -> list[dict]:
        return self.data.get("comparisons", [])

    @property
    def warnings(self) -> list[str]:
        return self.data.get("warnings", [])

    def table(self, name: str) -> pd.DataFrame:
        return self.tables.get(name, pd.DataFrame())

    def comparison(self, a: str, b: str) -> dict | None:
        for comp in self.comparisons:
            if comp["a"] == a and comp["b"] == b:
                return comp
        return None

    def to_dict(self) -> dict:
        return clean_json(self.data)

    def to_json(self) -> str:
        # An undecodable file name (source, provenance) stays exact as a \udcNN escape.
        return json_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=2,
                                    allow_nan=False))

    # Files -------------------------------------------------------------------------
    def write(self, out_dir: str | Path) -> list[Path]:
        """Write results.json and one CSV per non-empty table into ``out_dir`` atomically."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = [out / "results.json"]
        write_text_atomic(written[0], self.to_json())
        for name, frame in self.tables.items():
            target = out / f"{name}.csv"
            write_csv(frame, target)  # titles and outlets never run as formulas
            written.append(target)
        return written

    @classmethod
    def from_dict(cls, data: dict, tables: dict[str, pd.DataFrame] | None = None) -> Results:
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise ResultsError("not a Sinoru results file (missing schema 'sinoru.results')")
        version = data.get("schema_version")
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise ResultsError(f"results schema version {version!r} is newer than this "
                               f"Sinoru understands ({SCHEMA_VERSION}); please update Sinoru")
        return cls(data, dict(tables or {}))

    @classmethod
    def load(cls, path: str | Path) -> Results:
        """Read results.json (or a folder holding it) and any CSV tables beside it."""
        path = Path(path)
        file = path / "results.json" if path.is_dir() else path
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ResultsError(f"{file}: cannot read results ({exc})") from exc
        tables = {}
        for name in TABLES:
            csv = file.parent / f"{name}.csv"
            if csv.is_file():
                try:
                    tables[name] = restore_formulas(
                        pd.read_csv(csv, keep_default_na=False, na_values=[""]))
                except (pd.errors.ParserError, pd.errors.EmptyDataError):
                    tables[name] = pd.DataFrame()
        return cls.from_dict(data, tables)

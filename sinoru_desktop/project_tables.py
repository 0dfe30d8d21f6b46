"""A detail table of a project file, kept as the CSV text the file holds and parsed the
first time it is asked for: opening a project parses none of its large tables."""
from __future__ import annotations

import io
import threading
from collections.abc import Iterable, Iterator

import pandas as pd

__all__ = ["CsvTable"]


class CsvTable:
    """One ``results`` table of a ``.sinoru`` file as its UTF-8 CSV bytes.

    Used as a value of :class:`analysis.results.Tables`, which calls :meth:`load` on the
    first ``tables[name]`` and then holds the DataFrame; saving writes :attr:`csv`
    unchanged when the table was never read. Safe to load from several threads.
    """

    def __init__(self, name: str, csv: bytes) -> None:
        self.name = name
        self.csv = csv
        self._lock = threading.Lock()
        self._frame: pd.DataFrame | None = None

    def __repr__(self) -> str:
        return f"CsvTable({self.name!r}, {len(self.csv):,} bytes)"

    def load(self) -> pd.DataFrame:
        """The table as the analysis made it (values exact, undecodable names included)."""
        with self._lock:
            if self._frame is None:
                self._frame = parse_csv(self.csv)
            return self._frame

    def __len__(self) -> int:
        return len(self.load())

    def chunks(self) -> Iterator[pd.DataFrame]:
        yield self.load()

    def rows_for(self, doc_ids: Iterable[str]) -> pd.DataFrame:
        frame = self.load()
        if "doc_id" not in frame.columns:
            return frame.iloc[0:0]
        return frame[frame["doc_id"].isin(list(doc_ids))]


def parse_csv(csv: bytes) -> pd.DataFrame:
    """A table saved by ``DataFrame.to_csv(index=False)`` (text, then UTF-8 with
    "surrogatepass"); an empty or damaged table reads as an empty DataFrame."""
    try:
        return pd.read_csv(io.BytesIO(csv), encoding="utf-8", encoding_errors="surrogatepass",
                           keep_default_na=False, na_values=[""])
    except (pd.errors.ParserError, pd.errors.EmptyDataError):
        return pd.DataFrame()

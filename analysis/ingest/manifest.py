"""The optional manifest: a CSV that names metadata per imported file."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

from analysis.ingest.decode import DecodeError, decode_bytes
from analysis.ingest.tables import sniff_delimiter

__all__ = ["Manifest", "read_manifest"]


def _key(name: str) -> str:
    return str(PurePosixPath(name.strip().replace("\\", "/"))).lower()


@dataclass
class Manifest:
    """Metadata rows keyed by the file they describe.

    Attributes
    ----------
    path : Path or None
        The manifest file; relative ``file`` values are relative to its folder.
    rows : dict[str, dict[str, str]]
        Lower-cased relative path (``/`` separators) -> non-empty metadata values.
    warnings : list of str
        Problems found while reading, each naming the manifest (and row).
    """

    path: Path | None = None
    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    _by_name: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _used: set[str] = field(default_factory=set, repr=False)

    def match(self, file: Path) -> dict[str, str]:
        """The metadata row for ``file`` (empty dict when the manifest does not name it).

        A row matches on the path relative to the manifest folder, or on the bare file
        name when that name is unique in the manifest.
        """
        if not self.rows:
            return {}
        keys = []
        if self.path is not None:
            try:
                keys.append(_key(file.resolve().relative_to(self._folder).as_posix()))
            except ValueError:
                pass
        keys.append(_key(file.name))
        for key in keys:
            if key in self.rows:
                self._used.add(key)
                return dict(self.rows[key])
        named = self._by_name.get(file.name.lower(), [])
        if len(named) == 1:
            self._used.add(named[0])
            return dict(self.rows[named[0]])
        return {}

    @cached_property
    def _folder(self) -> Path:
        """The manifest's folder, resolved once (resolving asks the file system)."""
        return self.path.parent.resolve()

    def unused(self) -> list[str]:
        """Manifest ``file`` values that matched no imported file."""
        return [k for k in self.rows if k not in self._used]


def read_manifest(path: str | Path | None) -> Manifest:
    """Read a manifest CSV (columns ``file`` plus any metadata columns).

    Never raises for bad content: a missing file, an unreadable or unparseable CSV, a
    missing ``file`` column, empty or repeated ``file`` values all become warnings naming
    the manifest, and the import goes on without (some of) its metadata. Cells are
    stripped; empty cells are dropped so they never overwrite extracted values.
    """
    if path is None:
        return Manifest()
    path = Path(path)
    man = Manifest(path=path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        man.warnings.append(f"manifest {path}: cannot read it ({exc.strerror or exc}); "
                            "importing without manifest metadata")
        return man
    try:
        text, _enc = decode_bytes(data)
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True,
                                delimiter=sniff_delimiter(text))
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        records = list(reader)
    except (DecodeError, csv.Error) as exc:
        man.warnings.append(f"manifest {path}: not a readable CSV ({exc}); "
                            "importing without manifest metadata")
        return man
    if "file" not in header:
        shown = ", ".join(h for h in header if h) or "none"
        man.warnings.append(f"manifest {path}: no 'file' column (columns: {shown}); "
                            "importing without manifest metadata")
        return man
    for n, record in enumerate(records, start=2):  # row 1 is the header
        row = {(k or "").strip().lower(): (v or "").strip() if isinstance(v, str) else ""
               for k, v in record.items() if k is not None}
        if None in record:
            man.warnings.append(f"manifest {path}, row {n}: more cells than columns; "
                                "extra cells ignored")
        name = row.pop("file", "")
        if not name:
            man.warnings.append(f"manifest {path}, row {n}: empty 'file' value; row ignored")
            continue
        key = _key(name)
        if key in man.rows:
            man.warnings.append(f"manifest {path}, row {n}: '{name}' is listed again; "
                                "the later row wins")
        else:
            man._by_name.setdefault(PurePosixPath(key).name, []).append(key)
        man.rows[key] = {k: v for k, v in row.items() if k and v}
    return man

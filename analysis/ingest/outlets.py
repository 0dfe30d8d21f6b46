"""The outlet registry: outlet names, abbreviations and domains -> outlet type and group."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from analysis.atomic import write_text_atomic
from analysis.resources import resource

__all__ = ["OutletInfo", "OutletRegistry", "normalise_name"]


@dataclass(frozen=True)
class OutletInfo:
    """What the registry knows about an outlet."""

    name: str
    outlet_type: str
    group: str
    aliases: tuple[str, ...] = field(default=(), compare=False)
    domains: tuple[str, ...] = field(default=(), compare=False)

    def to_dict(self) -> dict:
        return {"name": self.name, "outlet_type": self.outlet_type, "group": self.group,
                "aliases": list(self.aliases), "domains": list(self.domains)}


_DOMAIN = re.compile(r"(?:https?://)?(?:www\d?\.)?((?:[a-z0-9-]+\.)+[a-z]{2,})(?:[:/?#]|$)", re.I)


def normalise_name(text: str) -> str:
    """Case-, accent- and punctuation-insensitive key: "The People’s Daily!" -> "peoples daily"."""
    text = unicodedata.normalize("NFKC", text).lower().replace("’", "").replace("'", "")
    text = re.sub(r"[^\w]+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def _domain_of(text: str) -> str | None:
    m = _DOMAIN.match(text.strip())
    return m.group(1).lower() if m else None


class OutletRegistry:
    """Outlets by name, alias and domain.

    Build with :meth:`load`: the built-in ``resources/outlets.yaml`` extended (and, for
    equal names, overridden) by an optional user YAML file of the same shape.
    """

    def __init__(self, outlets: list[OutletInfo] | None = None) -> None:
        self._outlets: dict[str, OutletInfo] = {}
        self._user: dict[str, OutletInfo] = {}
        for info in outlets or []:
            self._put(info)

    # -- building -------------------------------------------------------------------
    def _put(self, info: OutletInfo) -> None:
        self._outlets[normalise_name(info.name)] = info
        self._index = None  # rebuilt lazily

    @staticmethod
    def parse(data: object, source: str = "outlets") -> list[OutletInfo]:
        """Outlet entries of a parsed registry YAML document (``{"outlets": [...]}``)."""
        if data is None:
            return []
        items = data.get("outlets") if isinstance(data, dict) else data
        if not isinstance(items, list):
            raise ValueError(f"{source}: expected a list under 'outlets'")
        out = []
        for i, item in enumerate(items, 1):
            if not isinstance(item, dict) or not str(item.get("name", "")).strip():
                raise ValueError(f"{source}: entry {i} has no 'name'")
            out.append(OutletInfo(
                name=str(item["name"]).strip(),
                outlet_type=str(item.get("outlet_type", "") or ""),
                group=str(item.get("group", "") or ""),
                aliases=tuple(str(a) for a in item.get("aliases") or ()),
                domains=tuple(str(d).lower() for d in item.get("domains") or ())))
        return out

    @classmethod
    def load(cls, user_file: str | Path | None = None) -> OutletRegistry:
        """The built-in registry, extended by ``user_file`` when given.

        Raises
        ------
        ValueError
            When the user file cannot be read or has the wrong shape (message names it).
        """
        builtin = yaml.safe_load(resource("outlets.yaml").read_text(encoding="utf-8"))
        registry = cls(cls.parse(builtin, "outlets.yaml"))
        if user_file is not None:
            path = Path(user_file)
            try:
                data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None
            except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
                raise ValueError(f"{path}: cannot read outlet registry: {exc}") from exc
            for info in cls.parse(data, str(path)):
                registry.add(info)
        return registry

    def add(self, name: str | OutletInfo, outlet_type: str = "", group: str = "",
            aliases: tuple[str, ...] | list[str] = (), domains: tuple[str, ...] | list[str] = ()
            ) -> OutletInfo:
        """Add or replace a user entry (kept by :meth:`save_user`)."""
        info = name if isinstance(name, OutletInfo) else OutletInfo(
            name, outlet_type, group, tuple(aliases), tuple(d.lower() for d in domains))
        self._user[normalise_name(info.name)] = info
        self._put(info)
        return info

    def save_user(self, path: str | Path) -> None:
        """Write the user entries (those added with :meth:`add` or from the user file)
        atomically as YAML."""
        data = {"version": 1, "outlets": [i.to_dict() for i in self._user.values()]}
        write_text_atomic(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))

    # -- lookup ---------------------------------------------------------------------
    def _build_index(self) -> None:
        names: dict[str, OutletInfo] = {}
        domains: dict[str, OutletInfo] = {}
        # Built-in first, then user entries, so user entries win for shared aliases.
        ordered = [i for k, i in self._outlets.items() if k not in self._user]
        ordered += list(self._user.values())
        for info in ordered:
            for alias in (info.name, *info.aliases):
                key = normalise_name(alias)
                if key:
                    names[key] = info
            for d in info.domains:
                domains[d.removeprefix("www.")] = info
        long_keys = sorted((k for k in names if len(k) >= 5), key=len, reverse=True)
        pattern = (re.compile(r"\b(?:" + "|".join(map(re.escape, long_keys)) + r")\b")
                   if long_keys else None)
        self._index = (names, domains, pattern)

    def lookup(self, text: str | None) -> OutletInfo | None:
        """The outlet ``text`` names, or ``None``.

        Tries, in order: the whole text as a name or alias (ignoring case, punctuation and a
        leading "The"); a web address or domain ("www.scmp.com/news/..." and sub-domains);
        the longest name or alias (five characters or more) contained in the text, so
        "Peace and Development (China Institute of International Studies)" finds an outlet.
        """
        if not text or not text.strip():
            return None
        if self._index is None:
            self._build_index()
        names, domains, pattern = self._index
        key = normalise_name(text)
        if key in names:
            return names[key]
        host = _domain_of(text)
        if host:
            parts = host.split(".")
            for i in range(len(parts) - 1):
                hit = domains.get(".".join(parts[i:]))
                if hit:
                    return hit
        if pattern is not None:
            m = pattern.search(key)
            if m:
                return names[m.group(0)]
        return None

    def __len__(self) -> int:
        return len(self._outlets)

    def __iter__(self):
        return iter(self._outlets.values())

"""Analysis settings: everything that changes a figure, recorded in results.json."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

__all__ = ["AnalysisConfig", "KeynessConfig", "TARGET_MODELS", "OPTIONAL_ANALYZERS"]

#: ``AnalysisConfig.target_model`` values; "trained" is the older name of "linear".
TARGET_MODELS = ("auto", "linear", "transformer", "vader", "trained")
#: Analyzers that ``AnalysisConfig.skip`` may switch off, with their names in words.
#: Frames, sentence tone and keyness always run: the comparison is built on them.
OPTIONAL_ANALYZERS = {"detector": "generic-frame detector", "targets": "sentiment toward targets",
                      "markers": "stance markers", "readability": "readability",
                      "topics": "topics"}


@dataclass(frozen=True)
class KeynessConfig:
    ngram_max: int = 3          # phrases up to three words are units
    min_docs: int = 2           # dispersion filter: a term must occur in >= min_docs documents
    top_n: int = 30             # terms kept per side
    prior: str = "pooled"       # informative Dirichlet prior from the pooled corpus
    prior_strength: float = 500.0  # a0: total pseudo-count of the prior
    # Stop-word policy: "keep-function-markers" (the packaged function-word list; modals
    # and negation stay) or "none"; ``extra_stopwords`` (the user's own) are dropped too.
    stopwords: str = "keep-function-markers"
    extra_stopwords: tuple[str, ...] = ()

    def stopword_setting(self):
        """The ``stopwords`` argument of :class:`analysis.keyness.TermCounter`."""
        if not self.extra_stopwords:
            return self.stopwords
        from analysis.stopwords import stopwords as packaged

        base = packaged() if self.stopwords == "keep-function-markers" else frozenset()
        return tuple(sorted(base | {w.lower() for w in self.extra_stopwords}))


@dataclass(frozen=True)
class AnalysisConfig:
    """Parameters of one analysis run.

    ``codebooks`` are built-in names ("generic", "policy", "china_russia") or YAML paths.
    ``targets`` is ``None`` for the built-in target set or a path to a targets YAML file.
    ``target_model`` is "auto" (the linear model when shipped, else VADER), "linear"
    (fast; the default), "transformer" (more accurate, about 60 times slower) or "vader".
    ``weigh_outlets_equally`` makes a group's figures the mean of its outlets' means (and
    the tests compare those), so one prolific outlet cannot speak for its group.
    """

    group_by: str = "group"
    groups: tuple[str, ...] = ()          # empty: every group present
    codebooks: tuple[str, ...] = ("generic", "policy", "china_russia")
    targets: str | None = None
    target_model: str = "auto"
    n_topics: int = 6
    seed: int = 20240601
    n_boot: int = 2000
    n_perm: int = 10_001                # random arrangements when a test cannot be exact
    weigh_outlets_equally: bool = False  # group figures: mean of outlet means
    keyness: KeynessConfig = field(default_factory=KeynessConfig)
    evidence_per_item: int = 6           # KWIC passages kept per term / frame in results
    skip: tuple[str, ...] = ()           # OPTIONAL_ANALYZERS switched off (their rows empty)

    def __post_init__(self) -> None:
        unknown = set(self.skip) - set(OPTIONAL_ANALYZERS)
        if unknown:
            raise ValueError(f"cannot switch off {', '.join(sorted(unknown))}: choose from "
                             f"{', '.join(OPTIONAL_ANALYZERS)}")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> AnalysisConfig:
        data = dict(data)
        kw = dict(data.pop("keyness", {}))
        if "extra_stopwords" in kw:  # a JSON list
            kw["extra_stopwords"] = tuple(kw["extra_stopwords"])
        kw = KeynessConfig(**kw)
        for key in ("groups", "codebooks", "skip"):
            if key in data:
                data[key] = tuple(data[key])
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(keyness=kw, **known)

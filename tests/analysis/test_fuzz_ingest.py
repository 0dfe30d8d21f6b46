"""Property: any input to an importer, the manifest reader or the codebook loader ends
with an import or a one-line reason naming the file, and the good file beside it imports.

A short, derandomized budget for CI; ``python -m benchmarks.fuzz_ingest --minutes 10``
runs the same cases for as long as wanted (figures in docs/reliability.md).
"""
from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.ingest import OutletRegistry
from benchmarks.fuzz_ingest import check_case
from benchmarks.hostile import IMPORT_SUFFIXES, hostile_case

REGISTRY = OutletRegistry.load()
# The deadline is a hang detector, not a speed target: a case takes well under a second.
SHORT = settings(derandomize=True, deadline=timedelta(seconds=30), database=None,
                 suppress_health_check=[HealthCheck.too_slow,
                                        HealthCheck.function_scoped_fixture])
SEEDS = st.integers(0, 2**32 - 1)


@settings(SHORT, max_examples=45)
@given(seed=SEEDS, suffix=st.sampled_from(IMPORT_SUFFIXES))
def test_every_importer_survives_mutated_files(tmp_path_factory, seed, suffix):
    kind, suffix, data = hostile_case(random.Random(seed), "import", suffix, max_size=2**16)
    check_case(kind, suffix, data, tmp_path_factory.mktemp("case"), REGISTRY)


@settings(SHORT, max_examples=30)
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(IMPORT_SUFFIXES))
def test_every_importer_survives_random_bytes(tmp_path_factory, data, suffix):
    check_case("import", suffix, data, tmp_path_factory.mktemp("case"), REGISTRY)


@settings(SHORT, max_examples=20)
@given(seed=SEEDS)
def test_manifest_reader_survives_mutated_manifests(tmp_path_factory, seed):
    kind, suffix, data = hostile_case(random.Random(seed), "manifest", max_size=2**16)
    check_case(kind, suffix, data, tmp_path_factory.mktemp("case"), REGISTRY)


@settings(SHORT, max_examples=20)
@given(seed=SEEDS)
def test_codebook_loader_survives_mutated_codebooks(tmp_path_factory, seed):
    kind, suffix, data = hostile_case(random.Random(seed), "codebook", max_size=2**15)
    check_case(kind, suffix, data, tmp_path_factory.mktemp("case"), REGISTRY)


def test_the_generator_is_deterministic_and_varied():
    cases = [hostile_case(random.Random(n), max_size=2**16) for n in range(40)]
    assert cases == [hostile_case(random.Random(n), max_size=2**16) for n in range(40)]
    assert {kind for kind, _s, _d in cases} == {"import", "manifest", "codebook", "project"}
    assert len({suffix for _k, suffix, _d in cases}) >= 8

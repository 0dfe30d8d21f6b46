"""Property: any bytes given to the project loader end in a project or a ProjectError that
names the file. (Here, not in tests/analysis: the project file belongs to the app.)"""
from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.fuzz_ingest import check_case
from benchmarks.hostile import hostile_case


@settings(derandomize=True, max_examples=25, deadline=timedelta(seconds=30), database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32 - 1))
def test_project_loader_survives_mutated_projects(tmp_path_factory, seed):
    kind, suffix, data = hostile_case(random.Random(seed), "project", max_size=2**17)
    check_case(kind, suffix, data, tmp_path_factory.mktemp("case"))

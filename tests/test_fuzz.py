"""The fuzz laws (tests/fuzzing_laws.py) on a quick profile of generated repositories; the long
profile is ``STATUSGEN_FUZZ=100000 python benchmarks/fuzz.py``."""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.fuzzing import Repository, quick_profile, repositories
from tests.fuzzing_laws import Verdict, check_laws

SEEN: list[Verdict] = []


@quick_profile(60)
@given(repositories(max_files=6))
def _laws(repository: Repository) -> None:
    SEEN.append(check_laws(repository))


@pytest.mark.slow
def test_no_traceback_check_means_build_and_outputs_parse() -> None:
    SEEN.clear()
    _laws()
    # the generated inputs reach every stage: refused files, accepted ones, builds
    assert sum(v.files for v in SEEN) > 150
    assert sum(v.accepted for v in SEEN) >= 10
    assert sum(v.built for v in SEEN) >= 5
    assert sum(v.outputs for v in SEEN) >= 200

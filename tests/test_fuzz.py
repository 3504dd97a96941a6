"""The fuzz laws (tests/fuzzing.py) on a quick profile of generated repositories; the long
profile is ``STATUSGEN_FUZZ=100000 python benchmarks/fuzz.py``."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from tests.fuzzing import Repository, Verdict, check_laws, repositories

SEEN: list[Verdict] = []


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same inputs on every run: a failure here is reproducible
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(repositories(max_files=6))
def _laws(repository: Repository) -> None:
    SEEN.append(check_laws(repository))


def test_no_traceback_check_means_build_and_outputs_parse() -> None:
    SEEN.clear()
    _laws()
    # the generated inputs reach every stage: refused files, accepted ones, builds
    assert sum(v.files for v in SEEN) > 150
    assert sum(v.accepted for v in SEEN) >= 10
    assert sum(v.built for v in SEEN) >= 5
    assert sum(v.outputs for v in SEEN) >= 200

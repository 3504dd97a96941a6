"""``statusgen import``: the laws of tests/fuzz_import.py on a quick profile."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given

from tests import fuzz_import
from tests.fuzzing import quick_profile

# Fuzzing: the laws of tests/fuzz_import.py on a quick profile ----------------------------------


@quick_profile(100)
@given(fuzz_import.INPUTS)
def _import_laws(source: fuzz_import.Source) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        fuzz_import.check(source, Path(scratch))


@pytest.mark.slow
def test_no_traceback_nothing_written_on_error_and_every_import_passes_check() -> None:
    fuzz_import.OUTCOMES.clear()
    _import_laws()
    # both importers, both ends: refused sources and imported ones
    for kind in ("statuspage", "cstate"):
        assert fuzz_import.OUTCOMES[kind, 0] >= 5, fuzz_import.OUTCOMES
        assert fuzz_import.OUTCOMES[kind, 1] >= 5, fuzz_import.OUTCOMES

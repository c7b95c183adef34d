"""The generated hostile corpus, each file loaded in a subprocess with a capped address space: every one is
refused with a message (or, for the largest legitimate files, read), none crashes, none passes the cap."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor import api
from advisor.io.spreadsheet import columns

from .corpus import MEMORY_CAP, run_cases, write_all

#: the message each hostile file must be refused with (the limit it names); None: it must be read
EXPECTED: dict[str, str | None] = {
    "billion_laughs": "more than 10,000 values",
    "recursive_alias": "the alias *a is inside the value it refers to",
    "deep_nesting": "nested deeper than 64 levels",
    "deep_json": "nested deeper than 64 levels",
    "flow_list_800k": "larger than the limit of 512 KB",
    "comments_20mb": "larger than the limit of 512 KB",
    "long_int": "a number of more than 30 digits",
    "nul_byte": "control character (U+0000)",
    "c1_control": "control character (U+009B)",
    "list_key": "a key must be a name or a number",
    "lone_surrogate": "lone UTF-16 surrogate",
    "bad_date": "expected a date written as YYYY-MM-DD",
    "csv_20mb": "larger than the limit of 8 MB",
    "csv_huge_field": "a cell longer than 131,072 characters",
    "csv_many_columns": "more than 98 columns",
    "csv_many_rows": "more than 5,000 rows",
    "xlsx_huge_dimension": "missing columns",
    "xlsx_huge_row_number": "row 1,048,576 is beyond the limit of 5,000 rows",
    "xlsx_huge_column": "a value in column 16,384: more than 98 columns",
    "xlsx_zip_bomb_256mb": "inflates to 256 MB, over the limit of 32 MB",
    "xlsx_ratio_bomb_8mb": "compressed 1012 times (more than 200)",
    "xlsx_empty_rows": "row 5,002 is beyond the limit of 5,000 rows",
    "xlsx_shared_strings_bomb": "sharedStrings.xml is compressed",
    "xlsx_xml_entities": "declares a DTD",
    "xlsx_not_a_zip": "cannot open the workbook",
    "flow_maps_512kb": "more than 10,000 values",
    "many_keys_512kb": "more than 10,000 values",
    "long_scalar_512kb": "date: required field is missing",
    "csv_5000_rows": None,
    "xlsx_5000_rows": None,
}
#: the full-size sheets take seconds on a loaded machine: run them when asked (benchmarks/hostile.py measures them)
SLOW = {"csv_5000_rows", "xlsx_5000_rows"}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory, kb) -> dict[str, dict[str, object]]:
    import os
    paths = write_all(tmp_path_factory.mktemp("corpus"), columns(kb))
    names = [n for n in paths if n not in SLOW or os.environ.get("ADVISOR_HOSTILE_FULL")]
    out = run_cases([paths[n] for n in names], cap=MEMORY_CAP)
    assert out[-1]["outcome"] != "crashed", out[-1]["message"]
    return dict(zip(names, out))


def test_the_corpus_covers_every_expected_case(results) -> None:
    assert set(results) | SLOW == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_file_is_refused_within_the_memory_cap(results, name: str) -> None:
    if name not in results:
        pytest.skip("set ADVISOR_HOSTILE_FULL=1 to run the full-size sheets")
    r = results[name]
    expected = EXPECTED[name]
    if expected is None:
        assert r["outcome"] == "accepted", r["message"]
    else:
        assert r["outcome"] == "refused" and expected in str(r["message"]), r["message"]
    assert float(r["peak_mb"]) < MEMORY_CAP / (1 << 20)  # type: ignore[arg-type]


def test_the_cap_is_real(tmp_path: Path) -> None:
    """Without the loader's limits a billion-laughs file would pass the cap: the harness reports it as a crash."""
    import subprocess
    import sys
    code = "import resource; resource.setrlimit(resource.RLIMIT_AS, (%d, %d)); x = bytearray(%d)" % (
        MEMORY_CAP, MEMORY_CAP, MEMORY_CAP)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode != 0 and "MemoryError" in proc.stderr


def test_api_still_reads_the_shipped_examples_under_the_limits(kb) -> None:
    from ..conftest import EXAMPLES
    assert all(api.assess(p, kb).scores.overall_score > 0 for p in EXAMPLES)

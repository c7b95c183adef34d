"""How batch hands out its work: every body once, in order, in chunks that shrink to one at the end; forked
workers never load the knowledge base again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from advisor import api
from advisor.io import batch
from advisor.kb import loading

from ..conftest import MINI, write_yaml
from .test_batch import body


@given(st.integers(0, 5000), st.integers(2, 16))
def test_chunks_cover_every_item_once_in_order(n: int, jobs: int) -> None:
    chunks = batch._chunks(n, jobs)
    assert [i for c in chunks for i in c] == list(range(n))
    assert all(1 <= len(c) <= batch.MAX_CHUNK for c in chunks)
    assert [len(c) for c in chunks] == sorted((len(c) for c in chunks), reverse=True)   # they only shrink
    if n >= jobs:
        assert all(len(c) == 1 for c in chunks[-jobs:])   # the last ones leave no worker waiting long


def test_a_large_batch_sends_few_messages() -> None:
    assert len(batch._chunks(2000, 2)) < 2000 / 10


@pytest.mark.skipif(not batch._forking(), reason="workers are forked only where the system can fork")
def test_forked_workers_do_not_load_the_knowledge_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kb = api.load_kb(MINI)
    marks = tmp_path / "loads"
    marks.mkdir()
    real = loading.load_kb

    def spy(root: object = None) -> object:
        (marks / str(os.getpid())).touch()
        return real(root)  # type: ignore[arg-type]
    monkeypatch.setattr(loading, "load_kb", spy)
    d = tmp_path / "in"
    d.mkdir()
    for i in range(1, 7):
        write_yaml(d / f"{i}.yaml", body(i))
    items, _ = api.collect_batch([d], kb)
    portfolio = batch.run(items, kb, tmp_path / "out", "en", "md", jobs=2)
    assert len(portfolio.bodies) == 6 and not portfolio.failures
    assert list(marks.iterdir()) == []


@pytest.mark.parametrize("host_froze", [False, True])
def test_loading_and_batch_leave_the_collector_as_they_found_it(tmp_path: Path, host_froze: bool) -> None:
    import gc
    d = tmp_path / "in"
    d.mkdir()
    for i in range(1, 3):
        write_yaml(d / f"{i}.yaml", body(i))
    preloaded: list[object] = [[]]   # e.g. a server's app, frozen before it forks its workers

    def still_frozen() -> bool:
        return not any(o is preloaded for o in gc.get_objects())
    if host_froze:
        gc.freeze()
    try:
        kb = api.load_kb(MINI)
        assert gc.isenabled() and (still_frozen() if host_froze else gc.get_freeze_count() == 0)
        items, _ = api.collect_batch([d], kb)
        batch.run(items, kb, tmp_path / "out", "en", "md", jobs=1)
        assert gc.isenabled() and (still_frozen() if host_froze else gc.get_freeze_count() == 0)
    finally:
        gc.unfreeze()

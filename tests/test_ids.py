"""Generated request ids and idempotency keys: valid UUID4s, unique, never shared by forks."""

from __future__ import annotations

import os
import sys
import uuid
import warnings

import pytest

from bimpe_async._ids import new_id


def test_ids_are_distinct_version_4_uuids() -> None:
    ids = [new_id() for _ in range(2_000)]
    assert len(set(ids)) == len(ids)
    for text in ids:
        parsed = uuid.UUID(text)
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122
        assert str(parsed) == text


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_worker_never_repeats_the_parents_ids() -> None:
    new_id()  # the pool is now full of ids the parent has not handed out yet
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads (3.12+)
        pid = os.fork()
    if pid == 0:  # the child: report its next ids and leave at once
        os.write(write_end, " ".join(new_id() for _ in range(50)).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        child_ids = set(pipe.read().split())
    os.waitpid(pid, 0)
    parent_ids = {new_id() for _ in range(300)}
    assert len(child_ids) == 50
    assert not child_ids & parent_ids, sys.platform

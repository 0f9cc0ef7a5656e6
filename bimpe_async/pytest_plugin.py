"""pytest fixtures for code that uses this SDK: a running emulator and a client bound to it.

Installed with the package as the ``bimpe_async`` plugin (a ``pytest11`` entry point),
so a test only names the fixtures:

- ``bimpe_emulator``: a started ``Emulator`` on loopback, stopped after the test;
  ``bimpe_emulator.faults`` queues failures, ``.state`` and ``.requests`` are there to
  inspect.
- ``bimpe_client``: an ``AsyncBimpeAI`` pointed at it, closed after the test.

The emulator takes the keyword arguments of ``Emulator`` from the
``bimpe_emulator_options`` fixture (override it in a ``conftest.py`` for a directory)
updated with those of the closest ``@pytest.mark.bimpe(...)`` markers, e.g.
``@pytest.mark.bimpe(seed=True, rate_limit=60)``.

The fixtures run in the test's event loop. They are declared with
``pytest_asyncio.fixture`` when pytest-asyncio is installed, so they work in its default
strict mode as well as in auto mode; pytest-asyncio otherwise leaves them alone, which
lets anyio's plugin run them for ``@pytest.mark.anyio`` tests when pytest-asyncio is
absent or disabled (``-p no:asyncio``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from .client import AsyncBimpeAI
from .testing import Emulator

try:
    from pytest_asyncio import fixture as async_fixture
except ImportError:  # plain async fixtures, for anyio or another async plugin
    async_fixture = pytest.fixture  # type: ignore[assignment]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "bimpe(**options): keyword arguments of Emulator for this test's bimpe_emulator "
        "(seed=True, rate_limit=..., api_key=...)",
    )


@pytest.fixture
def bimpe_emulator_options() -> dict[str, Any]:
    """The ``Emulator`` keyword arguments of ``bimpe_emulator``: none by default.

    Override this fixture to configure every test of a directory, module or class;
    ``@pytest.mark.bimpe(...)`` adds to it per test.
    """
    return {}


def emulator_options(request: pytest.FixtureRequest, defaults: dict[str, Any]) -> dict[str, Any]:
    """``defaults`` updated with the ``bimpe`` markers, the closest one winning."""
    options = dict(defaults)
    for marker in reversed(list(request.node.iter_markers("bimpe"))):
        if marker.args:
            raise pytest.UsageError(
                f"{request.node.nodeid}: @pytest.mark.bimpe takes keyword arguments only, "
                f"got {marker.args!r}"
            )
        options.update(marker.kwargs)
    return options


@async_fixture
async def bimpe_emulator(
    request: pytest.FixtureRequest, bimpe_emulator_options: dict[str, Any]
) -> AsyncIterator[Emulator]:
    """A started emulator, private to the test and stopped after it."""
    async with Emulator(**emulator_options(request, bimpe_emulator_options)) as emulator:
        yield emulator


@async_fixture
async def bimpe_client(bimpe_emulator: Emulator) -> AsyncIterator[AsyncBimpeAI]:
    """A client keyed and pointed at ``bimpe_emulator``, closed after the test."""
    async with AsyncBimpeAI(bimpe_emulator.api_key, base_url=bimpe_emulator.base_url) as client:
        yield client

"""The pytest plugin as users get it: loaded from the package's entry point, in a pytest
run of its own (pytester), with pytest-asyncio in strict and auto mode, and with anyio.

The entry point is read from pyproject.toml and published on ``sys.path`` as a small
distribution, so these runs load the plugin exactly as an installed package would,
whether or not this checkout is installed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent

USER_TESTS = """
import pytest
from bimpe_async import NotFoundError, UserError

clients = []
{preamble}

{mark}
async def test_a_client_bound_to_the_emulator(bimpe_client):
    clients.append(bimpe_client)
    workflow = await bimpe_client.workflows.create(name="Support", system_prompt="Be kind")
    agent = await bimpe_client.agents.create(
        workflow_id=workflow.id, name="Support bot", description="Answers orders"
    )
    page = await bimpe_client.agents.list()
    assert [a.id for a in page.data] == [agent.id]


{mark}
@pytest.mark.bimpe(seed=True)
async def test_the_marker_configures_the_emulator(bimpe_client, bimpe_emulator):
    page = await bimpe_client.agents.list(limit=100)
    assert page.meta.total_count == len(bimpe_emulator.state.agents) > 0


{mark}
async def test_faults_are_injected_through_the_emulator(bimpe_client, bimpe_emulator):
    bimpe_emulator.faults.fail_next(1, status=404)
    with pytest.raises(NotFoundError):
        await bimpe_client.agents.list()


{mark}
async def test_the_client_of_an_earlier_test_was_closed():
    with pytest.raises(UserError, match="closed"):
        await clients[0].agents.list()
"""

RUN = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest")
"""Arguments of every run. Without hypothesis's plugin, which would import hypothesis
anew in each run (pytester forgets the modules a run imported), a run takes 0.2 s, not 2 s."""

ASYNCIO_INI = """
[pytest]
asyncio_default_fixture_loop_scope = function
filterwarnings = error
"""


@pytest.fixture
def pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A pytester whose runs see the plugin's entry point, as after ``pip install``."""
    pyproject = (ROOT / "pyproject.toml").read_text()
    section = pyproject.split("[project.entry-points.pytest11]\n", 1)[1].split("\n[", 1)[0]
    site = pytester.mkdir("site")
    dist_info = site / "bimpe_async_plugin_entry_point-0.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: bimpe-async-plugin-entry-point\nVersion: 0\n"
    )
    (dist_info / "entry_points.txt").write_text("[pytest11]\n" + section.replace('"', ""))
    monkeypatch.syspath_prepend(str(site))
    return pytester


def test_fixtures_in_pytest_asyncio_strict_mode(pytester: pytest.Pytester) -> None:
    pytester.makeini(ASYNCIO_INI)
    pytester.makepyfile(USER_TESTS.format(preamble="", mark="@pytest.mark.asyncio"))
    pytester.runpytest(*RUN).assert_outcomes(passed=4)


def test_fixtures_in_pytest_asyncio_auto_mode(pytester: pytest.Pytester) -> None:
    pytester.makeini(ASYNCIO_INI + "asyncio_mode = auto\n")
    pytester.makepyfile(USER_TESTS.format(preamble="", mark=""))
    pytester.runpytest(*RUN).assert_outcomes(passed=4)


def test_fixtures_under_anyio_with_pytest_asyncio_disabled(pytester: pytest.Pytester) -> None:
    pytest.importorskip("anyio")
    pytester.makeini("[pytest]\nfilterwarnings = error\n")
    anyio_backend = '@pytest.fixture\ndef anyio_backend():\n    return "asyncio"\n'
    pytester.makepyfile(USER_TESTS.format(preamble=anyio_backend, mark="@pytest.mark.anyio"))
    pytester.runpytest(*RUN, "-p", "no:asyncio").assert_outcomes(passed=4)


def test_emulator_options_from_a_fixture_then_the_closest_marker(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeini(ASYNCIO_INI + "asyncio_mode = auto\n")
    pytester.makeconftest(
        """
        import pytest

        @pytest.fixture
        def bimpe_emulator_options():
            return {"api_key": "sk_test_directory", "seed": True}
        """
    )
    pytester.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.bimpe(api_key="sk_test_module")

        async def test_fixture_then_module_marker(bimpe_client, bimpe_emulator):
            assert bimpe_emulator.api_key == "sk_test_module"
            assert (await bimpe_client.agents.list()).meta.total_count > 0

        @pytest.mark.bimpe(seed=False, api_key="sk_test_function")
        async def test_the_function_marker_wins(bimpe_client, bimpe_emulator):
            assert bimpe_emulator.api_key == "sk_test_function"
            assert (await bimpe_client.agents.list()).meta.total_count == 0

        @pytest.mark.bimpe(True)
        async def test_positional_marker_arguments_are_refused(bimpe_emulator):
            pass
        """
    )
    result = pytester.runpytest(*RUN)
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*@pytest.mark.bimpe takes keyword arguments only*"])

"""Client construction, configuration checks and session ownership."""

from __future__ import annotations

import aiohttp
import pytest

from bimpe_async import AsyncBimpeAI, UserError
from bimpe_async.testing import Emulator


@pytest.mark.parametrize("key", ["", "   ", None, 123])
def test_missing_api_key_is_a_user_error_before_any_io(key: object) -> None:
    with pytest.raises(UserError, match="api_key"):
        AsyncBimpeAI(key)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "argument"),
    [
        ({"base_url": "api.bimpe.ai"}, "base_url"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": -1.0}, "timeout"),
        ({"timeout": "30"}, "timeout"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": 1.5}, "max_retries"),
        ({"http_client": object()}, "http_client"),
    ],
)
def test_bad_configuration_names_the_argument(kwargs: dict[str, object], argument: str) -> None:
    with pytest.raises(UserError, match=argument):
        AsyncBimpeAI("sk_test", **kwargs)  # type: ignore[arg-type]


def test_repr_never_shows_the_key() -> None:
    client = AsyncBimpeAI("sk_live_supersecret")
    assert "sk_live_supersecret" not in repr(client)
    assert "supersecret" not in repr(client.middleware["auth"])
    assert "supersecret" not in repr(client.middleware)


def test_the_key_is_not_read_from_the_environment_implicitly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BIMPEAI_API_KEY", "sk_from_env")
    with pytest.raises(UserError):
        AsyncBimpeAI("")


async def test_from_env_is_the_explicit_way(
    monkeypatch: pytest.MonkeyPatch, emulator: Emulator
) -> None:
    monkeypatch.setenv("BIMPEAI_API_KEY", emulator.api_key)
    monkeypatch.setenv("BIMPEAI_BASE_URL", emulator.base_url)
    async with AsyncBimpeAI.from_env() as client:
        page = await client.agents.list()
    assert page.data == []
    monkeypatch.delenv("BIMPEAI_API_KEY")
    with pytest.raises(UserError, match="BIMPEAI_API_KEY"):
        AsyncBimpeAI.from_env()


async def test_a_callers_session_is_used_and_never_closed(emulator: Emulator) -> None:
    async with aiohttp.ClientSession() as session:
        async with AsyncBimpeAI(
            emulator.api_key, base_url=emulator.base_url, http_client=session
        ) as client:
            await client.agents.create(name="Ada")
        assert not session.closed
        assert emulator.requests[-1].method == "POST"


async def test_the_owned_session_is_closed_and_a_closed_client_refuses_calls(
    emulator: Emulator,
) -> None:
    client = AsyncBimpeAI(emulator.api_key, base_url=emulator.base_url)
    await client.agents.list()
    session = client._session
    assert session is not None
    await client.aclose()
    assert session.closed
    with pytest.raises(UserError, match="closed"):
        await client.agents.list()
    await client.aclose()  # closing twice is harmless


async def test_a_closed_caller_session_is_a_clear_error(emulator: Emulator) -> None:
    session = aiohttp.ClientSession()
    await session.close()
    client = AsyncBimpeAI(emulator.api_key, base_url=emulator.base_url, http_client=session)
    with pytest.raises(UserError, match="http_client"):
        await client.agents.list()
    await client.aclose()


def test_client_can_be_built_outside_an_event_loop() -> None:
    # Services create one client at import time; that must not need a running loop.
    client = AsyncBimpeAI("sk_test")
    assert client._session is None


def test_from_env_reads_every_setting_and_names_a_bad_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BIMPEAI_API_KEY", "sk_env")
    monkeypatch.setenv("BIMPEAI_BASE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("BIMPEAI_TIMEOUT", "2.5")
    monkeypatch.setenv("BIMPEAI_MAX_RETRIES", "4")
    monkeypatch.setenv("BIMPEAI_REQUESTS_PER_MINUTE", "600")
    monkeypatch.setenv("BIMPEAI_BURST", "5")
    client = AsyncBimpeAI.from_env()
    assert (client.base_url, client.timeout, client.max_retries) == ("http://127.0.0.1:9", 2.5, 4)
    assert AsyncBimpeAI.from_env(max_retries=0).max_retries == 0  # arguments win

    monkeypatch.setenv("BIMPEAI_MAX_RETRIES", "many")
    with pytest.raises(UserError, match="BIMPEAI_MAX_RETRIES must be an integer, got 'many'"):
        AsyncBimpeAI.from_env()
    monkeypatch.setenv("BIMPEAI_MAX_RETRIES", "1")
    monkeypatch.setenv("BIMPEAI_TIMEOUT", "-3")
    with pytest.raises(UserError, match=r"^BIMPEAI_TIMEOUT: timeout must be"):
        AsyncBimpeAI.from_env()
    monkeypatch.setenv("BIMPEAI_TIMEOUT", "nan")
    with pytest.raises(UserError, match="BIMPEAI_TIMEOUT"):
        AsyncBimpeAI.from_env()

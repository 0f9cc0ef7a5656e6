"""``trust_env``: the proxy from the environment, as httpx and requests honour it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bimpe_async import AsyncBimpeAI, InsecureTransportWarning, UserError

API_HOST = "api.bimpe.test"


@pytest.fixture
async def proxy() -> AsyncIterator[tuple[str, list[str]]]:
    """A forward proxy on loopback that answers every request itself, recording its URL."""
    seen: list[str] = []

    async def answer(request: web.Request) -> web.Response:
        seen.append(str(request.url))
        return web.json_response({"message": "ok", "data": {"via": "proxy"}})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", answer)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        await runner.cleanup()


async def test_the_environments_proxy_is_used_by_default(
    proxy: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy_url, seen = proxy
    monkeypatch.setenv("HTTP_PROXY", proxy_url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with pytest.warns(InsecureTransportWarning):
        client = AsyncBimpeAI("sk_test", base_url=f"http://{API_HOST}", max_retries=0)
    async with client:
        assert await client.request("GET", "/ping") == {"via": "proxy"}
    assert seen == [f"http://{API_HOST}/api/v1/console/ping"]


async def test_trust_env_false_ignores_the_environment(
    proxy: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy[0])
    async with AsyncBimpeAI("sk_test", base_url="http://127.0.0.1:9", trust_env=False) as client:
        assert client._sessions.get()._default_proxy is None
    with pytest.raises(UserError, match="trust_env"):
        AsyncBimpeAI("sk_test", trust_env="yes")  # type: ignore[arg-type]

"""AsyncPage over real list responses: meta, next pages, item and page walks."""

from __future__ import annotations

import pytest

from bimpe_async import AsyncBimpeAI, NotFoundError, Request, Response, UserError
from bimpe_async.middleware import Handler
from bimpe_async.testing import Emulator


async def _create(client: AsyncBimpeAI, count: int) -> list[str]:
    return [(await client.agents.create(name=f"agent {i:02d}")).id for i in range(count)]


async def test_a_page_has_data_meta_and_request_id(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    await _create(client, 5)
    page = await client.agents.list(limit=2, sort="name")
    assert [a.name for a in page.data] == ["agent 00", "agent 01"]
    assert page.meta is not None
    assert (page.meta.total_count, page.meta.page_count, page.meta.current_page) == (5, 3, 1)
    assert page.has_next_page
    assert page.request_id == emulator.requests[-1].headers["x-request-id"]


async def test_walking_items_fetches_every_page_lazily_with_the_same_filters(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    await _create(client, 7)
    before = len(emulator.requests)
    page = await client.agents.list(limit=3, sort="name", search="agent")
    assert len(emulator.requests) == before + 1
    names = [agent.name async for agent in page]
    assert names == [f"agent {i:02d}" for i in range(7)]
    fetched = emulator.requests[before:]
    assert [r.query["page"] for r in fetched] == ["1", "2", "3"]
    assert all(r.query["limit"] == "3" and r.query["search"] == "agent" for r in fetched)


async def test_breaking_out_early_fetches_no_further_pages(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    await _create(client, 9)
    before = len(emulator.requests)
    page = await client.agents.list(limit=3)
    seen = 0
    async for _ in page:
        seen += 1
        if seen == 2:
            break
    assert len(emulator.requests) == before + 1


async def test_pages_and_get_next_page(client: AsyncBimpeAI) -> None:
    await _create(client, 5)
    first = await client.agents.list(limit=2, sort="name")
    numbers = [p.meta.current_page async for p in first.pages() if p.meta is not None]
    assert numbers == [1, 2, 3]
    second = await first.get_next_page()
    assert second is not None
    assert [a.name for a in second.data] == ["agent 02", "agent 03"]
    third = await second.get_next_page()
    assert third is not None
    assert not third.has_next_page
    assert await third.get_next_page() is None


async def test_starting_from_a_later_page(client: AsyncBimpeAI) -> None:
    await _create(client, 5)
    page = await client.agents.list(page=2, limit=2, sort="name")
    assert [a.name async for a in page] == ["agent 02", "agent 03", "agent 04"]


async def test_an_empty_listing(client: AsyncBimpeAI) -> None:
    page = await client.agents.list()
    assert page.data == []
    assert not page.has_next_page
    assert [a async for a in page] == []


async def _fifty_pages(client: AsyncBimpeAI, emulator: Emulator) -> tuple[str, int]:
    emulator.seed(agents=1, workflows=0, conversations_per_agent=100, messages_per_conversation=0)
    agent_id = (await client.agents.list()).data[0].id
    return agent_id, 2


async def test_concurrent_walk_returns_exactly_the_sequential_walk(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    agent_id, limit = await _fifty_pages(client, emulator)
    first = await client.conversations.list(agent_id, limit=limit, sort="created_at")
    assert first.meta is not None
    assert first.meta.page_count == 50
    sequential = await first.to_list()
    concurrent = await first.to_list(concurrency=8)
    assert [c.id for c in concurrent] == [c.id for c in sequential]
    assert len({c.id for c in concurrent}) == 100
    numbers = [p.meta.current_page async for p in first.pages(concurrency=8) if p.meta]
    assert numbers == list(range(1, 51))


async def test_concurrent_walk_keeps_at_most_n_requests_in_flight(emulator: Emulator) -> None:
    in_flight = 0
    peak = 0

    async def gauge(request: Request, call_next: Handler) -> Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        try:
            return await call_next(request)
        finally:
            in_flight -= 1

    async with AsyncBimpeAI(
        emulator.api_key, base_url=emulator.base_url, middleware=[gauge]
    ) as client:
        agent_id, limit = await _fifty_pages(client, emulator)
        first = await client.conversations.list(agent_id, limit=limit)
        peak = 0
        items = await first.to_list(concurrency=4)
    assert len(items) == 100
    assert 1 < peak <= 4


async def test_concurrent_walk_stops_cleanly_on_error(
    client: AsyncBimpeAI, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    agent_id, limit = await _fifty_pages(client, emulator)
    first = await client.conversations.list(agent_id, limit=limit)
    emulator.faults.fail_next(1, status=404)
    with pytest.raises(NotFoundError):
        await first.to_list(concurrency=8)
    requests_at_error = len(emulator.requests)
    assert requests_at_error <= 2 + 8  # agents + first page, then at most 8 in flight
    assert not [r for r in caplog.records if r.name == "asyncio"]


async def test_breaking_out_of_a_concurrent_walk_cancels_the_rest(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    agent_id, limit = await _fifty_pages(client, emulator)
    first = await client.conversations.list(agent_id, limit=limit)
    before = len(emulator.requests)
    walk = first.pages(concurrency=3)
    async for page in walk:
        if page.meta is not None and page.meta.current_page == 2:
            break
    await walk.aclose()
    assert len(emulator.requests) - before <= 1 + 3


async def test_concurrency_must_be_positive(client: AsyncBimpeAI) -> None:
    page = await client.agents.list()
    with pytest.raises(UserError, match="concurrency"):
        await page.to_list(concurrency=0)

"""AsyncPage over real list responses: meta, next pages, item and page walks."""

from __future__ import annotations

from bimpe_async import AsyncBimpeAI
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

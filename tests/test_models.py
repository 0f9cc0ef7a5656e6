"""Decoding: frozen typed models, tolerance of new fields, and their reachability."""

from __future__ import annotations

import msgspec
import pytest

from bimpe_async import Agent, AgentDetail, AsyncBimpeAI
from bimpe_async.testing import Emulator

AGENT = {
    "id": "ag_1",
    "name": "Ada",
    "status": "live",
    "created_at": "2026-11-23T09:00:00.000Z",
    "updated_at": "2026-11-23T09:00:00.000Z",
}


async def test_created_agent_round_trips(client: AsyncBimpeAI) -> None:
    created = await client.agents.create(
        name="Ada", description="helps", language="en", persona="friendly"
    )
    assert isinstance(created, Agent)
    assert (created.name, created.description, created.language) == ("Ada", "helps", "en")
    assert created.status == "development"
    detail = await client.agents.retrieve(created.id)
    assert isinstance(detail, AgentDetail)
    assert detail.id == created.id
    assert detail.knowledge_bases == []
    updated = await client.agents.update(created.id, status="paused", name="Ada 2")
    assert (updated.name, updated.status) == ("Ada 2", "paused")
    assert updated.description == "helps"


async def test_models_are_frozen(client: AsyncBimpeAI) -> None:
    agent = await client.agents.create(name="Ada")
    with pytest.raises(AttributeError):
        agent.name = "x"  # type: ignore[misc]


async def test_unknown_fields_never_fail_and_stay_reachable(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    body = {
        "message": "ok",
        "data": [{**AGENT, "brand_new": {"x": 1}, "rules": [{"id": "r1", "weight": 3}]}],
        "meta": {
            "total_count": 1,
            "page_count": 1,
            "current_page": 1,
            "limit": 20,
            "has_next_page": False,
            "has_previous_page": False,
            "cursor": "abc",
        },
        "server_hint": True,
    }
    emulator.faults.respond_next(status=200, body=msgspec.json.encode(body))
    page = await client.agents.list()
    agent = page.data[0]
    assert agent.name == "Ada"
    assert agent.model_extra == {"brand_new": {"x": 1}}
    assert agent.rules is not None
    assert agent.rules[0].model_extra == {"weight": 3}
    assert page.meta is not None
    assert page.meta.model_extra == {"cursor": "abc"}


async def test_agent_detail_accepts_singular_and_plural_list_names(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    integration = {"id": "in_1", "type": "crm", "status": "ok", "is_connected": True}
    channel = {"id": "ch_1", "type": "webchat", "status": "ok", "is_connected": False}
    flow = {"name": "greet", "priority": 1, "is_active": True}
    old = {**AGENT, "integration": [integration], "channel": [channel]}
    old["conversation_flow"] = [flow]
    new = {**AGENT, "integrations": [integration], "channels": [channel]}
    new["conversation_flows"] = [flow]
    for data in (old, new):
        emulator.faults.respond_next(
            status=200, body=msgspec.json.encode({"message": "ok", "data": data})
        )
        detail = await client.agents.retrieve("ag_1")
        assert [i.id for i in detail.integrations] == ["in_1"]
        assert [c.type for c in detail.channels] == ["webchat"]
        assert [f.name for f in detail.conversation_flows] == ["greet"]
        assert detail.integrations[0].model_extra == {}


def test_models_built_by_hand_have_no_extra() -> None:
    agent = Agent(id="a", name="n", created_at="t", updated_at="t")
    assert agent.model_extra == {}

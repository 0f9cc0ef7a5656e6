"""Decoding: frozen typed models, tolerance of new fields, and their reachability."""

from __future__ import annotations

import copy
import gc

import msgspec
import pytest

from bimpe_async import Agent, AgentDetail, AsyncBimpeAI, Model
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
    # 0.1.0's agent rules are no longer declared: they read as the plain objects sent
    assert agent.model_extra == {"brand_new": {"x": 1}, "rules": [{"id": "r1", "weight": 3}]}
    assert agent.brand_new == {"x": 1}
    assert agent.rules[0]["weight"] == 3
    assert agent.model_raw["brand_new"] == {"x": 1}
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
        listed = "integration" if "integration" in data else "integrations"
        assert detail.model_raw[listed][0]["id"] == "in_1"


def test_models_built_by_hand_have_no_extra() -> None:
    agent = Agent(id="a", name="n", created_at="t", updated_at="t")
    assert agent.model_extra == {}
    assert agent.model_raw["name"] == "n"


def _with_extra(payload: dict[str, object], marker: str) -> dict[str, object]:
    return {**payload, "zz_new": marker}


INTEGRATION = _with_extra(
    {
        "id": "in_1",
        "type": "crm",
        "status": "ok",
        "is_connected": True,
        "config_fields": [
            _with_extra({"key": "k", "label": "K", "type": "text", "required": True}, "field")
        ],
        "actions": [
            _with_extra(
                {
                    "action_name": "a",
                    "name": "A",
                    "category": "c",
                    "is_enabled": True,
                    "require_human_approval": False,
                },
                "integration action",
            )
        ],
    },
    "integration",
)
DETAIL = _with_extra(
    {
        **AGENT,
        "rules": [_with_extra({"id": "r1", "name": "r", "trigger": "t", "response": "x"}, "rule")],
        "integrations": [INTEGRATION],
        "channels": [
            _with_extra({"id": "c", "type": "webchat", "status": "ok", "is_connected": True}, "ch")
        ],
        "conversation_flows": [_with_extra({"name": "f", "priority": 1, "is_active": True}, "cf")],
        "actions": [
            _with_extra(
                {"id": "x", "name": "X", "action_name": "x", "is_enabled": True}, "agent action"
            )
        ],
        "knowledge_bases": [_with_extra({"id": "kb", "type": "text", "name": "n"}, "kb")],
    },
    "detail",
)
WORKFLOW = _with_extra(
    {
        "id": "wf",
        "name": "w",
        "visibility": "public",
        "is_owner": False,
        "created_at": "t",
        "updated_at": "t",
        "flows": [_with_extra({"name": "flow"}, "flow")],
    },
    "workflow",
)
CONVERSATION = _with_extra(
    {
        "id": "cv",
        "channel_type": "webchat",
        "is_test_channel": False,
        "is_ai_chat_paused": False,
        "created_at": "t",
        "updated_at": "t",
    },
    "conversation",
)
MESSAGE = _with_extra(
    {
        "id": "m",
        "role": "user",
        "created_at": "t",
        "attachments": [_with_extra({"type": "image", "url": "u"}, "attachment")],
    },
    "message",
)


async def test_every_model_keeps_unknown_fields_reachable(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    """What a call returns has ``model_extra``, and so has every model nested in it."""

    def respond(data: object) -> None:
        emulator.faults.respond_next(
            status=200, body=msgspec.json.encode({"message": "ok", "data": data})
        )

    respond(DETAIL)
    detail = await client.agents.retrieve("ag_1")
    assert detail.integrations[0].config_fields[0].key == "k"
    raw = detail.model_raw
    integration = raw["integrations"][0]
    nested = {
        "integration": integration,
        "field": integration["config_fields"][0],
        "integration action": integration["actions"][0],
        "ch": raw["channels"][0],
        "cf": raw["conversation_flows"][0],
        "agent action": raw["actions"][0],
        "kb": raw["knowledge_bases"][0],
    }
    returned: dict[str, Model] = {"detail": detail}
    respond(WORKFLOW)
    workflow = await client.workflows.retrieve("wf")
    returned["workflow"] = workflow
    nested["flow"] = workflow.model_raw["flows"][0]
    respond(CONVERSATION)
    returned["conversation"] = await client.conversations.retrieve("ag", "cv")
    respond(MESSAGE)
    message = await client.conversations.messages.send("ag", "cv", message="hi")
    returned["message"] = message
    nested["attachment"] = message.model_raw["attachments"][0]
    respond(_with_extra({"ticket": "t", "expires_in": 60}, "ticket"))
    returned["ticket"] = await client.conversations.messages.stream_ticket("ag", "cv")
    respond([_with_extra({"id": "call"}, "call")])
    returned["call"] = (await client.calls.list()).data[0]
    returned["integration"] = detail.integrations[0]
    returned["field"] = detail.integrations[0].config_fields[0]
    returned["kb"] = detail.knowledge_bases[0]
    returned["flow"] = workflow.flows[0]
    returned["attachment"] = (message.attachments or [])[0]
    for marker, model in returned.items():
        extra = model.model_extra
        extra.pop("rules", None)  # 0.1.0's agent rules: undeclared now
        assert extra == {"zz_new": marker}, marker
        assert model.zz_new == marker, marker
    for marker, raw_object in nested.items():
        assert raw_object["zz_new"] == marker, marker


async def test_each_listed_item_keeps_its_own_unknown_fields(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    """The items of a list share one link and find their place by identity: a place
    must stay right after the list is reordered, most items are gone and their memory
    is reused, and nested models still link when first read."""
    sent = [
        {
            "id": f"m{i}",
            "role": "user",
            "created_at": "t",
            "zz_new": i,
            "attachments": [{"type": "image", "url": f"u{i}", "zz_new": f"a{i}"}],
        }
        for i in range(8)
    ]
    emulator.faults.respond_next(
        status=200,
        body=msgspec.json.encode({"message": "ok", "data": sent}),
    )
    page = await client.conversations.messages.list("ag", "cv")
    request_id = page.data[0]._request_id
    assert request_id
    kept = page.data[::-1][:3]  # m7, m6, m5
    del page
    gc.collect()
    # objects made now may sit where the dropped items were
    copies = [copy.copy(message) for message in kept for _ in range(20)]
    assert all(c.model_extra == {} for c in copies)  # a copy is not the item sent
    for message in kept:
        index = int(message.id[1:])
        assert message.zz_new == index
        assert message._request_id == request_id
        attachment = (message.attachments or [])[0]
        assert attachment.model_extra == {"zz_new": f"a{index}"}
        assert message.model_raw == sent[index]

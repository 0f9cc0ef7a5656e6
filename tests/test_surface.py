"""The 0.4.1 surface on the wire: each operation sends what the official SDK sends.

One table row per operation: the call, the request it must produce (method, path,
query, JSON body) and a ``data`` to answer with; the test answers with exactly that
(so it checks the client, not the emulator's routes) and checks the decoded type.
The integration families have their own file, ``test_integrations.py``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import msgspec
import pytest

import bimpe_async
from bimpe_async import (
    Agent,
    AgentCreateResponse,
    AgentDetail,
    AgentLiveStatus,
    AgentTestCode,
    AsyncBimpeAI,
    AsyncPage,
    BulkActionUpdate,
    CallDetail,
    ConversationAiStatus,
    ConversationDetail,
    KnowledgeBaseItem,
    MakeCallResult,
    Message,
    PhoneNumberDetail,
    StreamTicket,
    UserError,
    Workflow,
)
from bimpe_async.testing import Emulator

P = "/api/v1/console"
T = "2026-11-23T09:00:00Z"
AGENT = {"id": "ag_1", "name": "Ada", "description": "d", "created_at": T, "updated_at": T}
WORKFLOW = {"id": "wf_1", "name": "W", "created_at": T, "updated_at": T, "is_owner": True}
CONVERSATION = {"id": "cv_1", "channel_type": "webchat", "created_at": T, "updated_at": T}
MESSAGE = {"id": "m_1", "role": "user", "created_at": T, "message": "hi"}
CALL = {"id": "call_1", "destination": "+2348000000000", "created_on": T, "status": "ended"}
NUMBER = {"id": "pn_1", "e164": "+2348000000001", "inbound_enabled": True}
KB = {"id": "kb_1", "type": "text", "name": "FAQ", "content": "c"}

Call = Callable[[AsyncBimpeAI], Awaitable[Any]]


@dataclass
class Op:
    call: Call
    method: str
    path: str
    data: Any
    returns: Any
    query: dict[str, str] | None = None
    body: dict[str, Any] | None = None


OPS: dict[str, Op] = {
    "agents.list": Op(
        lambda c: c.agents.list(search="ada", limit=5),
        "GET",
        "/agents",
        [AGENT],
        AsyncPage,
        query={"page": "1", "limit": "5", "search": "ada"},
    ),
    "agents.create": Op(
        lambda c: c.agents.create(
            workflow_id="wf_1", name="Ada", description="d", persona="concise"
        ),
        "POST",
        "/agents",
        {**AGENT, "workflow": WORKFLOW},
        AgentCreateResponse,
        body={"workflow_id": "wf_1", "name": "Ada", "description": "d", "persona": "concise"},
    ),
    "agents.retrieve": Op(
        lambda c: c.agents.retrieve("ag_1"), "GET", "/agents/ag_1", AGENT, AgentDetail
    ),
    "agents.update": Op(
        lambda c: c.agents.update("ag_1"), "PATCH", "/agents/ag_1", AGENT, Agent, body={}
    ),
    "agents.delete": Op(
        lambda c: c.agents.delete("ag_1"), "DELETE", "/agents/ag_1", None, type(None)
    ),
    "agents.update_live_status": Op(
        lambda c: c.agents.update_live_status("ag_1", status="live"),
        "PATCH",
        "/agents/ag_1/live-status",
        {"status": "live"},
        AgentLiveStatus,
        body={"status": "live"},
    ),
    "agents.get_test_code": Op(
        lambda c: c.agents.get_test_code("ag_1"),
        "GET",
        "/agents/ag_1/deployment/agent-test-code",
        {"code": "X1", "channels": {"telephony": {"is_enabled": True}}},
        AgentTestCode,
    ),
    "agents.channels.list": Op(
        lambda c: c.agents.channels.list("ag_1"), "GET", "/agents/ag_1/channels", [], list
    ),
    "agents.actions.enable": Op(
        lambda c: c.agents.actions.enable("ag_1", action_ids=["a1"]),
        "POST",
        "/agents/ag_1/actions/enable",
        {"updated_count": 1},
        BulkActionUpdate,
        body={"action_ids": ["a1"]},
    ),
    "agents.actions.disable": Op(
        lambda c: c.agents.actions.disable("ag_1", action_ids=["a1", "a2"]),
        "POST",
        "/agents/ag_1/actions/disable",
        {"updated_count": 2},
        BulkActionUpdate,
        body={"action_ids": ["a1", "a2"]},
    ),
    "agents.knowledge_bases.create": Op(
        lambda c: c.agents.knowledge_bases.create(
            "ag_1", {"type": "text", "name": "FAQ", "content": "c"}
        ),
        "POST",
        "/agents/ag_1/knowledge_bases",
        KB,
        KnowledgeBaseItem,
        body={"type": "text", "name": "FAQ", "content": "c"},
    ),
    "agents.knowledge_bases.update": Op(
        lambda c: c.agents.knowledge_bases.update("ag_1", "kb_1", description=None),
        "PATCH",
        "/agents/ag_1/knowledge_bases/kb_1",
        KB,
        KnowledgeBaseItem,
        body={"description": None},
    ),
    "workflows.list": Op(
        lambda c: c.workflows.list(scope="accessible"),
        "GET",
        "/workflows",
        [WORKFLOW],
        AsyncPage,
        query={"page": "1", "scope": "accessible"},
    ),
    "workflows.create": Op(
        lambda c: c.workflows.create(name="W", system_prompt="Be kind", setup_time=5),
        "POST",
        "/workflows",
        WORKFLOW,
        Workflow,
        body={"name": "W", "system_prompt": "Be kind", "setup_time": 5},
    ),
    "workflows.clone": Op(
        lambda c: c.workflows.clone(source_workflow_id="wf_0"),
        "POST",
        "/workflows/clone",
        WORKFLOW,
        Workflow,
        body={"source_workflow_id": "wf_0"},
    ),
    "workflows.delete": Op(
        lambda c: c.workflows.delete("wf_1"), "DELETE", "/workflows/wf_1", None, type(None)
    ),
    "conversations.list": Op(
        lambda c: c.conversations.list("ag_1", channel="telephony", needs_attention=True),
        "GET",
        "/agents/ag_1/conversations",
        [CONVERSATION],
        AsyncPage,
        query={"page": "1", "channel": "telephony", "needs_attention": "true"},
    ),
    "conversations.retrieve": Op(
        lambda c: c.conversations.retrieve("ag_1", "cv_1"),
        "GET",
        "/agents/ag_1/conversations/cv_1",
        CONVERSATION,
        ConversationDetail,
    ),
    "conversations.send": Op(
        lambda c: c.conversations.send(
            "ag_1", message="hi", channel_type="webchat", channel_user_id="u1"
        ),
        "POST",
        "/agents/ag_1/conversations/messages",
        MESSAGE,
        Message,
        body={"message": "hi", "channel_type": "webchat", "channel_user_id": "u1"},
    ),
    "conversations.set_ai_status": Op(
        lambda c: c.conversations.set_ai_status("ag_1", "cv_1", is_ai_chat_paused=True),
        "PATCH",
        "/agents/ag_1/conversations/cv_1/ai-status",
        {},
        ConversationAiStatus,
        body={"is_ai_chat_paused": True},
    ),
    "conversations.messages.send": Op(
        lambda c: c.conversations.messages.send("ag_1", "cv_1", message="hi", role="assistant"),
        "POST",
        "/agents/ag_1/conversations/cv_1/messages",
        MESSAGE,
        Message,
        body={"message": "hi", "role": "assistant"},
    ),
    "conversations.messages.retrieve": Op(
        lambda c: c.conversations.messages.retrieve("ag_1", "cv_1", "m_1"),
        "GET",
        "/agents/ag_1/conversations/cv_1/messages/m_1",
        MESSAGE,
        Message,
    ),
    "conversations.messages.stream_ticket": Op(
        lambda c: c.conversations.messages.stream_ticket("ag_1", "cv_1"),
        "POST",
        "/agents/ag_1/conversations/cv_1/stream-ticket",
        {"ticket": "t", "expires_in": 60},
        StreamTicket,
    ),
    "calls.list": Op(
        lambda c: c.calls.list("ag_1", is_test_call=False, status="ended"),
        "GET",
        "/agents/ag_1/calls",
        [CALL],
        AsyncPage,
        query={"page": "1", "is_test_call": "false", "status": "ended"},
    ),
    "calls.make": Op(
        lambda c: c.calls.make("ag_1", {"destination": "+234", "is_test_call": True}),
        "POST",
        "/agents/ag_1/calls",
        {"status": "initiated", "call_id": "call_2"},
        MakeCallResult,
        body={"destination": "+234", "is_test_call": True},
    ),
    "calls.retrieve": Op(
        lambda c: c.calls.retrieve("ag_1", "call_1"),
        "GET",
        "/agents/ag_1/calls/call_1",
        {**CALL, "conversation_logs": [MESSAGE]},
        CallDetail,
    ),
    "phone_numbers.list": Op(
        lambda c: c.phone_numbers.list(),
        "GET",
        "/phone-numbers",
        [NUMBER],
        AsyncPage,
        query={"page": "1"},
    ),
    "phone_numbers.retrieve": Op(
        lambda c: c.phone_numbers.retrieve("pn_1"),
        "GET",
        "/phone-numbers/pn_1",
        NUMBER,
        PhoneNumberDetail,
    ),
    "phone_numbers.update": Op(
        lambda c: c.phone_numbers.update("pn_1", agent_id=None),
        "PATCH",
        "/phone-numbers/pn_1",
        NUMBER,
        PhoneNumberDetail,
        body={"agent_id": None},
    ),
    "phone_numbers.requests.list": Op(
        lambda c: c.phone_numbers.requests.list(limit=2),
        "GET",
        "/phone-numbers/request",
        [{"id": "pr_1"}],
        AsyncPage,
        query={"page": "1", "limit": "2"},
    ),
    "phone_numbers.requests.create": Op(
        lambda c: c.phone_numbers.requests.create(
            business_name="Acme",
            intended_use="support",
            region="ng",
            agent_count=1,
            outbound_minutes=100,
        ),
        "POST",
        "/phone-numbers/request",
        None,
        type(None),
        body={
            "business_name": "Acme",
            "intended_use": "support",
            "region": "ng",
            "agent_count": 1,
            "outbound_minutes": 100,
        },
    ),
}


def answer(emulator: Emulator, data: Any, meta: bool = False) -> None:
    envelope: dict[str, Any] = {"message": "ok", "data": data}
    if meta:
        envelope["meta"] = {
            "total_count": 1,
            "page_count": 1,
            "current_page": 1,
            "limit": 20,
            "has_next_page": False,
            "has_previous_page": False,
        }
    emulator.faults.respond_next(body=msgspec.json.encode(envelope))


@pytest.mark.parametrize("name", list(OPS))
async def test_each_operation_sends_what_the_official_sdk_sends(
    name: str, client: AsyncBimpeAI, emulator: Emulator
) -> None:
    op = OPS[name]
    answer(emulator, op.data, meta=op.returns is AsyncPage)
    result = await op.call(client)
    sent = emulator.requests[-1]
    assert (sent.method, sent.path) == (op.method, P + op.path)
    assert sent.query == (op.query or {})
    if op.body is None:
        assert sent.body == b""
        assert "content-type" not in sent.headers
    else:
        assert msgspec.json.decode(sent.body) == op.body
        assert sent.headers["content-type"] == "application/json"
    assert ("idempotency-key" in sent.headers) == (op.method != "GET")
    assert isinstance(result, op.returns)


async def test_every_official_name_is_importable() -> None:
    bimpeai = pytest.importorskip("bimpeai")
    missing = set(bimpeai.__all__) - set(bimpe_async.__all__) - {"BimpeAI"}
    assert not missing
    with pytest.raises(ImportError, match="AsyncBimpeAI"):
        from bimpe_async import BimpeAI  # noqa: F401


async def test_0_1_0_code_keeps_working(client: AsyncBimpeAI, emulator: Emulator) -> None:
    answer(emulator, {**AGENT, "workflow_id": "wf_1"})
    agent = await client.agents.create(name="Ada", agent_workflow_id="wf_1")
    assert msgspec.json.decode(emulator.requests[-1].body) == {"name": "Ada", "workflow_id": "wf_1"}
    assert agent.agent_workflow_id == agent.workflow_id == "wf_1"

    answer(emulator, MESSAGE)
    await client.conversations.messages.send(
        "ag_1",
        "cv_1",
        message="see",
        attachments=[{"type": "image", "url": "https://x.test/a.png"}],
    )
    sent = msgspec.json.decode(emulator.requests[-1].body)
    assert sent["attachments"] == [{"type": "image", "url": "https://x.test/a.png"}]

    with pytest.raises(bimpe_async.APINotImplementedError):
        await client.calls.list()
    legacy = emulator.requests[-1]
    assert (legacy.path, legacy.query) == (P + "/calls", {})


async def test_unknown_arguments_name_the_escape_hatches(client: AsyncBimpeAI) -> None:
    with pytest.raises(UserError, match=r"unexpected argument\(s\) nmae.*extra_body="):
        await client.agents.create(name="x", nmae="typo")  # type: ignore[call-arg]
    with pytest.raises(UserError, match=r"retrieve\(\) got unexpected argument\(s\) verbose"):
        await client.agents.retrieve("ag_1", verbose=True)  # type: ignore[call-arg]
    with pytest.raises(UserError, match="limit must be an integer >= 1"):
        await client.agents.list(limit=0)
    with pytest.raises(UserError, match="agent_id must be valid Unicode"):
        await client.agents.retrieve("\ud800")
    with pytest.raises(UserError, match="headers"):
        await client.agents.retrieve("ag_1", headers={"X-Bad": "a\r\nb"})


async def test_extra_body_query_and_headers_reach_the_wire(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    answer(emulator, AGENT)
    await client.agents.update(
        "ag_1",
        name="Ada",
        extra_body={"brand_new": [1]},
        extra_query={"dry_run": True},
        extra_headers={"X-Feature": "on"},
    )
    sent = emulator.requests[-1]
    assert msgspec.json.decode(sent.body) == {"name": "Ada", "brand_new": [1]}
    assert sent.query == {"dry_run": "true"}
    assert sent.headers["x-feature"] == "on"


async def test_request_reaches_endpoints_the_sdk_does_not_know(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    answer(emulator, {**AGENT, "id": "ag/../x"})
    agent = await client.request(
        "POST",
        "/agents/{agent_id}/new-thing",
        path_params={"agent_id": "ag/1"},
        query={"fast": True},
        body={"a": 1},
        cast_to=Agent,
        idempotency_key="k-1",
    )
    sent = emulator.requests[-1]
    assert sent.path == P + "/agents/ag%2F1/new-thing"
    assert sent.query == {"fast": "true"}
    assert msgspec.json.decode(sent.body) == {"a": 1}
    assert sent.headers["idempotency-key"] == "k-1"
    assert isinstance(agent, Agent)
    assert agent.id == "ag/../x"

    answer(emulator, {"anything": [1, 2]})
    assert await client.request("GET", "/new") == {"anything": [1, 2]}
    with pytest.raises(UserError, match="agent_id must be a non-empty string"):
        await client.request("GET", "/agents/{agent_id}")


async def test_base_url_none_means_the_default() -> None:
    async with AsyncBimpeAI("sk_test", base_url=None) as client:
        assert client.base_url == "https://api.bimpe.ai"


async def test_request_can_return_the_whole_response(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    answer(emulator, [AGENT], meta=True)
    raw = await client.request("GET", "/agents", cast_to=list[Agent], raw_response=True)
    assert isinstance(raw, bimpe_async.ApiResponse)
    assert raw.status == 200
    assert raw.meta is not None
    assert raw.meta.total_count == 1
    assert raw.data[0].name == "Ada"
    assert raw.request_id == raw.headers["x-request-id"]


async def test_raw_responses_on_every_resource(client: AsyncBimpeAI, emulator: Emulator) -> None:
    answer(emulator, {**AGENT, "zz_new": 1})
    raw = await client.agents.with_raw_response.retrieve("ag_1")
    assert raw.status == 200
    assert raw.request_id == emulator.requests[-1].headers["x-request-id"]
    assert raw.headers["x-request-id"] == raw.request_id
    assert raw.elapsed.total_seconds() >= 0
    detail = raw.parse()
    assert isinstance(detail, AgentDetail)
    assert detail is raw.parse()
    assert detail._request_id == raw.request_id
    assert detail.zz_new == 1

    answer(emulator, [AGENT], meta=True)
    raw_page = await client.agents.with_raw_response.list(limit=1)
    page = raw_page.parse()
    assert isinstance(page, AsyncPage)
    assert page.data[0]._request_id == raw_page.request_id

    answer(emulator, None)
    nested = client.agents.with_raw_response.integrations.custom_api.tools
    raw_delete = await nested.delete("ag_1", "in_1", "tl_1")
    assert raw_delete.parse() is None
    assert emulator.requests[-1].method == "DELETE"

    emulator.faults.fail_next(status=404, code="not_found", message="no such agent")
    with pytest.raises(bimpe_async.NotFoundError):
        await client.agents.with_raw_response.retrieve("ag_missing")


async def test_with_options_adds_headers(client: AsyncBimpeAI, emulator: Emulator) -> None:
    answer(emulator, AGENT)
    await client.with_options(headers={"X-Team": "blue"}).agents.retrieve("ag_1")
    assert emulator.requests[-1].headers["x-team"] == "blue"
    with pytest.raises(UserError, match="headers"):
        client.with_options(headers={"X-Team": 1})  # type: ignore[dict-item]

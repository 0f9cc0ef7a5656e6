"""The emulator's API 0.4.1 surface, over loopback HTTP with a plain aiohttp session.

Every one of the 57 operations of ``wire-0.4.md`` is called here at least once, and
the shapes it answers are checked key by key against the spec's models. No client
code is involved, so the client's tests can trust what the emulator serves.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from yarl import URL

from bimpe_async.testing import Emulator, Quirks
from bimpe_async.testing.__main__ import build

PREFIX = "/api/v1/console"
START = 1_800_000_000.0
NOW = "2027-01-15T08:00:00.000Z"

AGENT = {
    "id",
    "name",
    "description",
    "created_at",
    "updated_at",
    "language",
    "workflow_id",
    "timezone",
    "logo",
    "business_name",
    "business_address",
    "business_email",
    "business_description",
    "test_channel_code",
    "status_reason",
    "escalation_email",
    "persona",
    "status",
}
AGENT_DETAIL = AGENT | {"knowledge_bases", "integrations", "channels"}
SUMMARY = {"id", "type", "name", "status", "is_connected"}
"""IntegrationSummary, AgentChannel and BimpeaiIntegration share these keys."""
AGENT_INTEGRATION = SUMMARY | {"config_fields", "actions"}
INTEGRATION_ACTION = {
    "action_name",
    "name",
    "category",
    "description",
    "is_enabled",
    "require_human_approval",
}
AGENT_ACTION = {
    "id",
    "integration_id",
    "integration_type",
    "integration_name",
    "name",
    "action_name",
    "description",
    "is_enabled",
}
KB_SUMMARY = {"id", "name", "type", "description"}
KB_ITEM = KB_SUMMARY | {"url", "content"}
TOOL = {"id", "action_name", "name", "category", "description", "is_enabled"}
WORKFLOW = {
    "id",
    "name",
    "created_at",
    "updated_at",
    "visibility",
    "is_owner",
    "description",
    "category",
    "system_prompt",
    "video_url",
    "setup_time",
    "tags",
    "integrations",
    "channels",
    "actions",
    "guide",
    "faq",
    "rules",
    "flows",
    "setup_steps",
}
CONVERSATION = {
    "id",
    "channel_type",
    "created_at",
    "updated_at",
    "is_test_channel",
    "is_ai_chat_paused",
    "needs_attention",
    "channel_id",
    "channel_user_id",
    "channel_user_username",
    "last_message_at",
    "last_seen",
    "last_message_preview",
}
CONVERSATION_DETAIL = CONVERSATION | {"full_name", "email", "phone_number", "profile_picture"}
MESSAGE = {"id", "role", "created_at", "message", "message_type", "attachments"}
MESSAGE_SENT = MESSAGE | {"conversation_id"}
"""The emulator also names a message's conversation (the stream event needs it)."""
CALL = {
    "id",
    "destination",
    "direction",
    "created_on",
    "status",
    "is_test_call",
    "source",
    "error_reason",
    "end_reason",
    "ringing_at",
    "ended_at",
    "duration_seconds",
}
CALL_DETAIL = CALL | {"started_at", "answered_at", "conversation_logs"}
PHONE_NUMBER = {"id", "e164", "agent_id", "label"}
PHONE_NUMBER_DETAIL = PHONE_NUMBER | {"created_at", "updated_at", "inbound_enabled"}
NUMBER_REQUEST = {
    "id",
    "status",
    "business_name",
    "intended_use",
    "region",
    "e164",
    "agent_id",
    "label",
    "created_at",
    "updated_at",
    "agent_count",
    "outbound_minutes",
}
META = {
    "total_count",
    "page_count",
    "current_page",
    "limit",
    "has_next_page",
    "has_previous_page",
}
NULL_DATA = {"message": "ok", "data": None}


@dataclass
class Reply:
    status: int
    body: Any

    @property
    def data(self) -> Any:
        assert 200 <= self.status < 300, (self.status, self.body)
        return self.body["data"]

    def problems(self) -> list[str]:
        assert (self.status, self.body["code"]) == (400, "validation_error"), self.body
        messages: list[str] = self.body["message"]
        return messages


class Api:
    """Raw calls against one emulator, with its key unless told otherwise."""

    def __init__(self, session: aiohttp.ClientSession, emu: Emulator) -> None:
        self.session = session
        self.emu = emu

    async def __call__(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        key: str | None = None,
        headers: dict[str, str] | None = None,
        **params: str,
    ) -> Reply:
        sent = {"Authorization": f"Bearer {key or self.emu.api_key}", **(headers or {})}
        url = URL(self.emu.base_url + PREFIX + path, encoded=True)
        options: dict[str, Any] = {"headers": sent, "params": params or None}
        if body is not None:
            options["json"] = body
        async with self.session.request(method, url, **options) as response:
            raw = await response.read()
            decoded: Any = raw
            with contextlib.suppress(ValueError):
                decoded = json.loads(raw)
            return Reply(response.status, decoded)

    async def page(self, path: str, **params: str) -> list[Any]:
        reply = await self("GET", path, **params)
        assert set(reply.body["meta"]) == META
        items: list[Any] = reply.data
        return items


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


class Clock:
    """A clock that stands still until a test moves it."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def emu(clock: Clock) -> AsyncIterator[Emulator]:
    """A seeded emulator holding requests to the 0.4.1 contract, on a still clock."""
    emulator = Emulator(clock=clock, quirks=Quirks(legacy_bodies=False))
    emulator.seed(agents=3, workflows=8, conversations_per_agent=12, messages_per_conversation=3)
    async with emulator:
        yield emulator


@pytest.fixture
def api(session: aiohttp.ClientSession, emu: Emulator) -> Api:
    return Api(session, emu)


@pytest.fixture
def aid(emu: Emulator) -> str:
    """The first seeded agent: it has every integration family and a phone number."""
    return next(iter(emu.state.agents))


@pytest.fixture
def owned_workflow(emu: Emulator) -> str:
    return next(wf for wf, key in emu.state.workflow_owners.items() if key == emu.api_key)


# Every operation has a route, and literal segments are never taken for ids

OPERATIONS = [
    ("GET", "/agents"),
    ("POST", "/agents"),
    ("GET", "/agents/{a}"),
    ("PATCH", "/agents/{a}"),
    ("DELETE", "/agents/{a}"),
    ("PATCH", "/agents/{a}/live-status"),
    ("GET", "/agents/{a}/deployment/agent-test-code"),
    ("GET", "/agents/{a}/channels"),
    ("GET", "/agents/{a}/actions"),
    ("POST", "/agents/{a}/actions/enable"),
    ("POST", "/agents/{a}/actions/disable"),
    ("GET", "/agents/{a}/knowledge_bases"),
    ("POST", "/agents/{a}/knowledge_bases"),
    ("PATCH", "/agents/{a}/knowledge_bases/{x}"),
    ("DELETE", "/agents/{a}/knowledge_bases/{x}"),
    ("GET", "/agents/{a}/integrations"),
    ("GET", "/agents/{a}/integrations/bimpeai"),
    ("POST", "/agents/{a}/integrations/bimpeai/configure"),
    ("DELETE", "/agents/{a}/integrations/bimpeai/{x}"),
    ("GET", "/agents/{a}/integrations/custom_api"),
    ("POST", "/agents/{a}/integrations/custom_api/configure"),
    ("DELETE", "/agents/{a}/integrations/custom_api/{x}"),
    ("GET", "/agents/{a}/integrations/custom_api/{x}/tools"),
    ("POST", "/agents/{a}/integrations/custom_api/{x}/tools"),
    ("DELETE", "/agents/{a}/integrations/custom_api/{x}/tools/{x}"),
    ("GET", "/agents/{a}/integrations/mcp_server"),
    ("POST", "/agents/{a}/integrations/mcp_server/configure"),
    ("DELETE", "/agents/{a}/integrations/mcp_server/{x}"),
    ("POST", "/agents/{a}/integrations/mcp_server/{x}/discover"),
    ("POST", "/agents/{a}/integrations/mcp_server/{x}/test"),
    ("GET", "/agents/{a}/integrations/mcp_server/{x}/tools"),
    ("GET", "/agents/{a}/integrations/pipedream"),
    ("POST", "/agents/{a}/integrations/pipedream/configure"),
    ("DELETE", "/agents/{a}/integrations/pipedream/{x}"),
    ("GET", "/workflows"),
    ("POST", "/workflows"),
    ("POST", "/workflows/clone"),
    ("GET", "/workflows/{x}"),
    ("PATCH", "/workflows/{x}"),
    ("DELETE", "/workflows/{x}"),
    ("GET", "/agents/{a}/conversations"),
    ("GET", "/agents/{a}/conversations/{x}"),
    ("POST", "/agents/{a}/conversations/messages"),
    ("PATCH", "/agents/{a}/conversations/{x}/ai-status"),
    ("GET", "/agents/{a}/conversations/{x}/messages"),
    ("POST", "/agents/{a}/conversations/{x}/messages"),
    ("GET", "/agents/{a}/conversations/{x}/messages/{x}"),
    ("POST", "/agents/{a}/conversations/{x}/stream-ticket"),
    ("GET", "/agents/{a}/conversations/{x}/stream"),
    ("GET", "/agents/{a}/calls"),
    ("POST", "/agents/{a}/calls"),
    ("GET", "/agents/{a}/calls/{x}"),
    ("GET", "/phone-numbers"),
    ("GET", "/phone-numbers/{x}"),
    ("PATCH", "/phone-numbers/{x}"),
    ("GET", "/phone-numbers/request"),
    ("POST", "/phone-numbers/request"),
]


def test_the_table_has_the_57_operations() -> None:
    assert len(OPERATIONS) == len(set(OPERATIONS)) == 57


@pytest.mark.parametrize(("method", "template"), OPERATIONS)
async def test_every_operation_is_routed(api: Api, aid: str, method: str, template: str) -> None:
    """With an unknown id each answers its own 404 (or 400/401), never "route not found"."""
    body = {} if method in ("POST", "PATCH") else None
    reply = await api(method, template.format(a=aid, x="nope"), body)
    assert reply.status in (200, 201, 400, 401, 404), reply.body
    if reply.status == 404:
        assert not reply.body["message"].startswith("Route"), reply.body


async def test_literal_segments_win_over_ids(api: Api, emu: Emulator, aid: str) -> None:
    requests = await api.page("/phone-numbers/request")
    assert requests
    assert set(requests[0]) == NUMBER_REQUEST
    missing = await api("GET", "/phone-numbers/nope")
    assert (missing.status, missing.body["message"]) == (404, "Phone number not found")
    source = next(wf for wf in emu.state.workflows.values() if wf.visibility == "public")
    clone = await api("POST", "/workflows/clone", {"source_workflow_id": source.id})
    assert clone.status == 201
    assert clone.data["id"] != source.id
    sent = await api("POST", f"/agents/{aid}/conversations/messages", {"message": "hi"})
    assert sent.status == 201
    assert sent.data["conversation_id"] in emu.state.conversations[aid]
    not_a_conversation = await api("GET", f"/agents/{aid}/conversations/messages")
    assert not_a_conversation.body["message"] == "Conversation not found"
    configure = f"/agents/{aid}/integrations/bimpeai/configure"
    assert (await api("DELETE", configure)).body["message"] == "BimpeAI integration not found"


# Agents


async def test_agent_lifecycle(api: Api, emu: Emulator, owned_workflow: str) -> None:
    body = {"workflow_id": owned_workflow, "name": "Desk", "description": "Front desk"}
    created = await api("POST", "/agents", {**body, "persona": "concise", "language": "en"})
    assert created.status == 201
    agent = created.data
    assert set(agent) == AGENT | {"workflow"}
    assert set(agent["workflow"]) == WORKFLOW
    assert (agent["workflow"]["id"], agent["workflow_id"]) == (owned_workflow, owned_workflow)
    assert (agent["persona"], agent["status"], agent["created_at"]) == (
        "concise",
        "development",
        NOW,
    )
    path = f"/agents/{agent['id']}"

    listed = await api.page("/agents", sort="-created_at", limit="1")
    assert listed == [{key: agent[key] for key in AGENT}]
    detail = (await api("GET", path)).data
    assert set(detail) == AGENT_DETAIL
    assert detail["integrations"] == detail["channels"] == detail["knowledge_bases"] == []
    updated = (await api("PATCH", path, {"name": "Desk 2", "business_name": "Acme"})).data
    assert set(updated) == AGENT
    assert (updated["name"], updated["business_name"], updated["description"]) == (
        "Desk 2",
        "Acme",
        "Front desk",
    )
    live = await api("PATCH", f"{path}/live-status", {"status": "paused", "status_reason": "Hols"})
    assert live.data == {"status": "paused", "status_reason": "Hols"}
    assert emu.state.agents[agent["id"]].status_reason == "Hols"
    code = (await api("GET", f"{path}/deployment/agent-test-code")).data
    assert code["code"] == agent["test_channel_code"]
    assert set(code["channels"]) == {"whatsapp", "instagram", "messenger", "telephony"}
    assert code["channels"]["whatsapp"]["start_message"] == f"START {code['code']}"
    assert code["channels"]["telephony"] == {"is_enabled": False}

    assert (await api("DELETE", path)).body == NULL_DATA
    assert (await api("GET", path)).status == 404
    assert (await api("DELETE", path)).status == 404


async def test_agent_bodies_are_checked(api: Api, emu: Emulator, owned_workflow: str) -> None:
    assert (await api("POST", "/agents", {})).problems() == [
        "workflow_id: is required",
        "name: is required",
        "description: is required",
    ]
    bad = {"workflow_id": "", "name": " ", "description": None, "persona": "rude", "logo": 3}
    assert (await api("POST", "/agents", bad)).problems() == [
        "workflow_id: must not be empty",
        "name: must not be empty",
        "description: is required",
        "logo: must be a string",
        "persona: must be one of professional, friendly, concise",
    ]
    unknown = await api("POST", "/agents", {"workflow_id": "wf_x", "name": "A", "description": "B"})
    assert (unknown.status, unknown.body["message"]) == (404, "Workflow not found")
    assert len(emu.state.agents) == 3
    legacy = {"agent_workflow_id": owned_workflow, "name": "Old", "description": "SDK 0.1"}
    created = (await api("POST", "/agents", legacy)).data
    assert created["workflow_id"] == owned_workflow
    assert "agent_workflow_id" not in created
    path = f"/agents/{created['id']}"
    assert (await api("PATCH", path, {"status": "live"})).data["status"] == "development"
    live = await api("PATCH", f"{path}/live-status", {"status": "asleep"})
    assert live.problems() == ["status: must be one of development, live, paused"]


async def test_legacy_bodies_need_only_a_name(api: Api, emu: Emulator) -> None:
    emu.quirks.legacy_bodies = True
    agent = (await api("POST", "/agents", {"name": "Ada"})).data
    assert (agent["description"], agent["workflow_id"], agent["workflow"]) == ("", None, None)
    patched = await api("PATCH", f"/agents/{agent['id']}", {"status": "live"})
    assert patched.data["status"] == "live"
    workflow = (await api("POST", "/workflows", {"name": "W", "rules": [RULE_LEGACY]})).data
    assert workflow["rules"][0]["enabled"] is True
    assert workflow["rules"][0]["id"].startswith("rule_")


async def test_deleting_an_agent_clears_what_hangs_off_it(
    api: Api, emu: Emulator, aid: str
) -> None:
    number = next(n for n in emu.state.phone_numbers.numbers.values() if n.agent_id == aid)
    assert (await api("DELETE", f"/agents/{aid}")).body == NULL_DATA
    assert aid not in emu.state.conversations
    assert aid not in emu.state.integrations.by_agent
    assert aid not in emu.state.calls.by_agent
    unassigned = (await api("GET", f"/phone-numbers/{number.id}")).data
    assert (unassigned["agent_id"], unassigned["inbound_enabled"]) == (None, False)


async def test_channels_and_actions(api: Api, aid: str) -> None:
    channels = (await api("GET", f"/agents/{aid}/channels")).data
    assert channels
    assert all(set(channel) == SUMMARY for channel in channels)
    assert "telephony" in {channel["type"] for channel in channels}
    code = (await api("GET", f"/agents/{aid}/deployment/agent-test-code")).data
    assert code["channels"]["telephony"]["is_enabled"] is True

    actions = (await api("GET", f"/agents/{aid}/actions")).data
    assert all(set(action) == AGENT_ACTION for action in actions)
    assert {a["integration_type"] for a in actions} >= {"custom_api", "mcp_server"}
    chosen = [actions[0]["id"], actions[-1]["id"]]
    disabled = await api("POST", f"/agents/{aid}/actions/disable", {"action_ids": [*chosen, "x"]})
    assert disabled.data == {"updated_count": 2}
    after = {a["id"]: a["is_enabled"] for a in (await api("GET", f"/agents/{aid}/actions")).data}
    assert [after[action_id] for action_id in chosen] == [False, False]
    tools = [
        tool
        for integration in (await api("GET", f"/agents/{aid}/integrations")).data
        for tool in integration["actions"]
        if not tool["is_enabled"]
    ]
    assert len(tools) >= 2
    enabled = await api("POST", f"/agents/{aid}/actions/enable", {"action_ids": chosen})
    assert enabled.data == {"updated_count": 2}
    assert (await api("POST", f"/agents/{aid}/actions/enable", {})).problems() == [
        "action_ids: is required"
    ]
    empty = await api("POST", f"/agents/{aid}/actions/disable", {"action_ids": []})
    assert empty.problems() == ["action_ids: must not be empty"]


async def test_knowledge_bases_as_0_4_1_shapes_them(api: Api, aid: str) -> None:
    path = f"/agents/{aid}/knowledge_bases"
    created = await api("POST", path, {"type": "url", "name": "Site", "url": "https://a.example"})
    assert created.status == 201
    assert set(created.data) == KB_ITEM
    kb_id = created.data["id"]
    cleared = (await api("PATCH", f"{path}/{kb_id}", {"url": None, "content": "x"})).data
    assert (cleared["url"], cleared["content"]) == (None, "x")
    detail = (await api("GET", f"/agents/{aid}")).data
    assert all(set(kb) == KB_SUMMARY for kb in detail["knowledge_bases"])
    assert kb_id in {kb["id"] for kb in (await api("GET", path)).data}
    assert (await api("DELETE", f"{path}/{kb_id}")).body == NULL_DATA


# Integrations


async def test_integrations_list_and_detail(api: Api, aid: str) -> None:
    listed = (await api("GET", f"/agents/{aid}/integrations")).data
    assert all(set(item) == AGENT_INTEGRATION for item in listed)
    assert all(set(a) == INTEGRATION_ACTION for item in listed for a in item["actions"])
    assert {item["type"] for item in listed} >= {"custom_api", "mcp_server", "pipedream"}
    detail = (await api("GET", f"/agents/{aid}")).data
    summaries = [{key: item[key] for key in SUMMARY} for item in listed]
    assert detail["integrations"] == summaries


async def test_bimpeai_apps(api: Api, aid: str) -> None:
    base = f"/agents/{aid}/integrations/bimpeai"
    apps = (await api("GET", base)).data
    assert [app["type"] for app in apps] == [
        "bumpa",
        "google_calendar",
        "google_sheets",
        "paystack",
        "stripe",
    ]
    assert all(set(app) == SUMMARY for app in apps)
    assert any(app["id"] is None and not app["is_connected"] for app in apps)
    kind = next(app["type"] for app in apps if app["id"] is None)
    pending = (await api("POST", f"{base}/configure", {"type": kind})).data
    assert set(pending) == {"onboarding_url"}
    assert pending["onboarding_url"].startswith("https://")
    mine = next(app for app in (await api("GET", base)).data if app["type"] == kind)
    assert (mine["status"], mine["is_connected"]) == ("pending", False)
    again = await api("POST", f"{base}/configure", {"type": kind, "token": "t", "secret_key": "s"})
    assert again.data == pending
    mine = next(app for app in (await api("GET", base)).data if app["type"] == kind)
    assert (mine["status"], mine["is_connected"]) == ("connected", True)
    assert (await api("DELETE", f"{base}/{mine['id']}")).body == NULL_DATA
    gone = next(app for app in (await api("GET", base)).data if app["type"] == kind)
    assert gone["id"] is None
    assert (await api("DELETE", f"{base}/{mine['id']}")).status == 404
    wrong = await api("POST", f"{base}/configure", {"type": "venmo", "token": 5})
    assert wrong.problems() == [
        "type: must be one of bumpa, google_calendar, google_sheets, paystack, stripe",
        "token: must be a string",
    ]


TOOL_BODY = {
    "name": "Find order",
    "url_template": "https://shop.example/orders/{id}",
    "http_method": "GET",
    "description": "Look an order up",
    "url_params": [
        {
            "name": "ids",
            "description": "Order ids",
            "type": "array",
            "items": {"name": "id", "description": "One id", "type": "string"},
        }
    ],
    "response_mapping": {"path": "$.order", "optional": True},
    "require_human_approval": True,
    "timeout": 10,
}


async def test_custom_api_and_its_tools(api: Api, emu: Emulator, aid: str) -> None:
    base = f"/agents/{aid}/integrations/custom_api"
    body = {"name": "Shop", "base_url": "https://shop.example", "auth_type": "api_key"}
    configured = await api("POST", f"{base}/configure", {**body, "auth_config": {"api_key": "k"}})
    assert configured.status == 201
    api_id = configured.data["id"]
    config = {"name": "Shop", "base_url": "https://shop.example", "auth_type": "api_key"}
    assert configured.data == {"id": api_id, "config": config}
    assert configured.data in (await api("GET", base)).data

    tools_path = f"{base}/{api_id}/tools"
    added = await api("POST", tools_path, TOOL_BODY)
    assert added.status == 201
    assert set(added.data) == TOOL
    assert (added.data["action_name"], added.data["category"]) == ("find_order", "custom")
    assert (await api("GET", tools_path)).data == [added.data]
    actions = (await api("GET", f"/agents/{aid}/actions")).data
    assert any(a["id"] == added.data["id"] and a["integration_id"] == api_id for a in actions)
    duplicate = await api("POST", tools_path, TOOL_BODY)
    assert (duplicate.status, duplicate.body["code"]) == (409, "conflict")
    stored = emu.state.integrations.get(aid, "custom_api", api_id).actions[added.data["id"]]
    assert stored.definition is not None
    assert stored.definition["url_params"][0]["items"]["type"] == "string"

    bad_param = {"name": "x", "description": "d", "type": "list", "items": {"name": "i"}}
    bad = {"name": "T", "http_method": "FETCH", "url_params": [bad_param], "timeout": 0}
    assert (await api("POST", tools_path, bad)).problems() == [
        "url_template: is required",
        "http_method: must be one of GET, POST, PUT, DELETE, PATCH",
        "url_params[0].type: must be one of string, number, integer, boolean, array, object",
        "url_params[0].items.description: is required",
        "url_params[0].items.type: must be one of string, number, integer, boolean, array, object",
        "timeout: must be at least 1",
    ]
    tool = f"{tools_path}/{added.data['id']}"
    assert (await api("DELETE", tool)).body == NULL_DATA
    assert (await api("DELETE", tool)).body["message"] == "Tool not found"
    assert (await api("DELETE", f"{base}/{api_id}")).body == NULL_DATA
    assert (await api("GET", tools_path)).body["message"] == "Custom API integration not found"
    no_name = await api("POST", f"{base}/configure", {"auth_type": "oauth", "base_url": "ftp://x"})
    assert no_name.problems() == [
        "name: is required",
        "base_url: must be an http(s) URL",
        "auth_type: must be one of none, bearer, basic, api_key, custom",
    ]


async def test_mcp_servers(api: Api, aid: str) -> None:
    base = f"/agents/{aid}/integrations/mcp_server"
    body = {"name": "Docs", "server_url": "https://mcp.docs.example/mcp", "transport": "http_sse"}
    configured = await api("POST", f"{base}/configure", body)
    assert configured.status == 201
    server = configured.data
    config = {**body, "auth_type": "none"}
    config.pop("name")
    assert server["config"] == {"name": "Docs", **config}
    assert server in (await api("GET", base)).data
    path = f"{base}/{server['id']}"
    first = (await api("POST", f"{path}/discover")).data
    assert first == {"discovered": 3, "created": 3, "updated": 0, "disabled": 0}
    second = (await api("POST", f"{path}/discover")).data
    assert second == {"discovered": 3, "created": 0, "updated": 3, "disabled": 0}
    tools = (await api("GET", f"{path}/tools")).data
    assert len(tools) == 3
    assert all(set(tool) == TOOL for tool in tools)
    tested = (await api("POST", f"{path}/test")).data
    assert tested == {
        "success": True,
        "message": "Connected to Docs",
        "error": None,
        "tools_count": 3,
    }

    down = {"name": "Down", "server_url": "https://mcp.down.invalid/mcp"}
    unreachable = (await api("POST", f"{base}/configure", down)).data
    failed = (await api("POST", f"{base}/{unreachable['id']}/test")).data
    assert (failed["success"], failed["error"]) == (
        False,
        "Could not resolve host mcp.down.invalid",
    )
    refused = await api("POST", f"{base}/{unreachable['id']}/discover")
    assert (refused.status, refused.body["code"]) == (400, "bad_request")

    assert (await api("DELETE", path)).body == NULL_DATA
    assert (await api("POST", f"{path}/test")).status == 404
    bad = await api("POST", f"{base}/configure", {"name": "x", "transport": "grpc"})
    assert bad.problems() == [
        "server_url: is required",
        "transport: must be one of http_sse, streamable_http",
    ]


async def test_pipedream_apps(api: Api, aid: str) -> None:
    base = f"/agents/{aid}/integrations/pipedream"
    before = (await api("GET", base)).data
    assert all(set(item) == {"id", "channel_type", "config"} for item in before)
    body = {"app_slug": "notion", "app_name": "Notion"}
    onboarding = (await api("POST", f"{base}/configure", body)).data
    assert set(onboarding) == {"onboarding_url"}
    assert (await api("POST", f"{base}/configure", body)).data == onboarding
    after = (await api("GET", base)).data
    assert len(after) == len(before) + 1
    added = after[-1]
    assert added["config"] == {
        "app_slug": "notion",
        "server_url": "https://remote.mcp.pipedream.example/notion",
        "app_name": "Notion",
        "app_icon": None,
    }
    assert (await api("DELETE", f"{base}/{added['id']}")).body == NULL_DATA
    assert (await api("GET", base)).data == before
    assert (await api("POST", f"{base}/configure", {"app_slug": "Not A Slug"})).problems() == [
        "app_slug: must be a lowercase app slug such as google_sheets"
    ]


# Workflows

RULE = {"id": "r1", "name": "Greet", "trigger": "hello", "response": "Hi!", "enabled": True}
RULE_LEGACY = {"name": "Greet", "trigger": "hello", "response": "Hi!"}
WORKFLOW_BODY = {
    "name": "Bakery",
    "system_prompt": "Sell bread.",
    "description": "Orders for a bakery",
    "category": "food",
    "video_url": "https://video.example/bakery",
    "setup_time": 15,
    "tags": ["food"],
    "integrations": ["paystack"],
    "channels": ["whatsapp"],
    "actions": ["paystack.create_payment_link"],
    "rules": [{**RULE, "condition": None, "action": "greet"}],
    "flows": [
        {
            "name": "Order",
            "priority": 1,
            "is_active": True,
            "trigger_keywords": [{"keyword": "bread", "weight": "high"}],
            "conversation_steps": [{"type": "message", "content": "What would you like?"}],
        }
    ],
    "guide": {"steps": ["Connect Paystack"], "youtube_url": "https://youtube.example/x"},
    "faq": [{"question": "Gluten free?", "answer": "Yes"}],
    "setup_steps": [{"title": "anything goes"}, 1],
}


async def test_workflow_lifecycle(api: Api, emu: Emulator) -> None:
    created = await api("POST", "/workflows", WORKFLOW_BODY)
    assert created.status == 201
    workflow = created.data
    assert set(workflow) == WORKFLOW
    for name in ("setup_time", "tags", "integrations", "channels", "actions", "setup_steps"):
        assert workflow[name] == WORKFLOW_BODY[name], name
    assert workflow["rules"] == [{**RULE, "condition": None, "action": "greet"}]
    assert workflow["flows"][0]["trigger_keywords"] == [{"keyword": "bread", "weight": "high"}]
    assert workflow["flows"][0]["conversation_steps"][0]["content"] == "What would you like?"
    assert workflow["guide"] == WORKFLOW_BODY["guide"]
    assert (workflow["visibility"], workflow["is_owner"]) == ("private", True)
    path = f"/workflows/{workflow['id']}"
    assert (await api("GET", path)).data == workflow
    updated = (await api("PATCH", path, {"tags": None, "faq": [], "name": "Bakery 2"})).data
    assert (updated["tags"], updated["faq"], updated["name"]) == (None, [], "Bakery 2")
    owned = await api.page("/workflows", scope="owned", limit="100")
    public = await api.page("/workflows", scope="public", limit="100")
    accessible = await api.page("/workflows", scope="accessible", limit="100")
    assert {w["id"] for w in accessible} == {w["id"] for w in owned} | {w["id"] for w in public}
    assert workflow["id"] in {w["id"] for w in accessible}
    assert all(set(item) == WORKFLOW for item in accessible)
    assert (await api("DELETE", path)).body == NULL_DATA
    assert (await api("GET", path)).status == 404


async def test_workflow_bodies_are_checked(api: Api) -> None:
    assert (await api("POST", "/workflows", {"name": "W"})).problems() == [
        "system_prompt: is required"
    ]
    bad = {
        "name": "W",
        "system_prompt": "p",
        "setup_time": "soon",
        "tags": "food",
        "rules": [RULE_LEGACY],
        "flows": [{"trigger_keywords": [{"keyword": "k", "weight": "urgent"}]}],
        "guide": {"youtube_url": "youtube"},
        "faq": [{"question": "Q?"}],
        "setup_steps": {},
    }
    assert (await api("POST", "/workflows", bad)).problems() == [
        "setup_time: must be an integer",
        "tags: must be a list of strings",
        "rules[0].id: is required",
        "rules[0].enabled: is required",
        "flows[0].name: is required",
        "flows[0].trigger_keywords[0].weight: must be one of high, medium, low",
        "guide.steps: is required",
        "guide.youtube_url: must be an http(s) URL",
        "faq[0].answer: is required",
        "setup_steps: must be a list",
    ]


async def test_clone_makes_a_private_owned_copy(
    session: aiohttp.ClientSession, api: Api, emu: Emulator
) -> None:
    foreign = next(wf for wf, key in emu.state.workflow_owners.items() if key != emu.api_key)
    assert (await api("GET", f"/workflows/{foreign}")).data["is_owner"] is False
    copy = (await api("POST", "/workflows/clone", {"source_workflow_id": foreign})).data
    source = emu.state.workflows[foreign]
    assert (copy["visibility"], copy["is_owner"], copy["name"]) == ("private", True, source.name)
    assert copy["created_at"] == NOW
    assert emu.state.workflow_owners[copy["id"]] == emu.api_key
    emu.add_api_key("sk_colleague", frozenset({"read", "write"}))
    hidden = await api(
        "POST", "/workflows/clone", {"source_workflow_id": copy["id"]}, key="sk_colleague"
    )
    assert hidden.status == 404
    assert (await api("POST", "/workflows/clone", {})).problems() == [
        "source_workflow_id: is required"
    ]


async def test_seeded_workflows_carry_the_servers_placeholders(api: Api) -> None:
    workflows = await api.page("/workflows", scope="accessible", limit="100")
    assert any([] in wf["rules"] for wf in workflows)
    assert any([] in wf["flows"] for wf in workflows)
    assert any([] in (wf["faq"] or []) for wf in workflows)
    assert any(wf["setup_steps"] == [[], []] for wf in workflows)
    assert any(wf["tags"] is None for wf in workflows)
    assert any([] not in wf["rules"] and wf["tags"] for wf in workflows)


async def test_placeholder_quirk_covers_every_workflow_response(
    api: Api, emu: Emulator, owned_workflow: str
) -> None:
    emu.quirks.workflow_placeholders = True
    created = (await api("POST", "/workflows", {**WORKFLOW_BODY, "setup_steps": []})).data
    path = f"/workflows/{created['id']}"
    agent = {"workflow_id": created["id"], "name": "A", "description": "B"}
    responses = [
        created,
        (await api("GET", path)).data,
        (await api("PATCH", path, {"name": "Again"})).data,
        (await api("POST", "/workflows/clone", {"source_workflow_id": created["id"]})).data,
        (await api("POST", "/agents", agent)).data["workflow"],
        *await api.page("/workflows"),
    ]
    for workflow in responses:
        assert workflow["rules"][0] == workflow["rules"][-1] == [], workflow["name"]
        assert workflow["flows"][0] == workflow["flows"][-1] == []
        assert workflow["setup_steps"][-2:] == [[], []]
    assert created["faq"] == [[], WORKFLOW_BODY["faq"][0], []]
    assert created["setup_steps"] == [[], []]
    assert [] not in emu.state.workflows[created["id"]].rules
    emu.quirks.workflow_placeholders = False
    assert (await api("GET", path)).data["rules"] == [RULE | {"condition": None, "action": "greet"}]


# Conversations and messages


async def test_conversation_filters(api: Api, emu: Emulator, aid: str) -> None:
    path = f"/agents/{aid}/conversations"
    everything = await api.page(path, limit="100")
    assert len(everything) == 12
    assert all(set(item) == CONVERSATION for item in everything)
    for name in ("is_test_channel", "is_ai_chat_paused", "needs_attention"):
        for wanted in (True, False):
            found = await api.page(path, limit="100", **{name: str(wanted).lower()})
            assert {c[name] for c in found} <= {wanted}
            assert len(found) == sum(c[name] is wanted for c in everything)
    for channel in {c["channel_type"] for c in everything}:
        found = await api.page(path, limit="100", channel=channel)
        assert found
        assert {c["channel_type"] for c in found} == {channel}
    newest = await api.page(path, limit="100", sort="-last_seen")
    seen = [c["last_seen"] for c in newest if c["last_seen"]]
    assert seen == sorted(seen, reverse=True)
    bad = await api("GET", path, channel="messenger", needs_attention="yes")
    assert bad.problems() == [
        "channel: must be one of whatsapp, webchat, telephony, "
        "test_whatsapp, test_webchat, test_telephony",
        "needs_attention: must be true or false",
    ]
    emu.quirks.legacy_bodies = True
    assert (await api("GET", path, channel="messenger")).data == []


async def test_retrieve_adds_the_contact(api: Api, aid: str) -> None:
    listed = (await api.page(f"/agents/{aid}/conversations", limit="1"))[0]
    detail = (await api("GET", f"/agents/{aid}/conversations/{listed['id']}")).data
    assert set(detail) == CONVERSATION_DETAIL
    assert {key: detail[key] for key in CONVERSATION} == listed
    assert detail["full_name"]


async def test_send_starts_or_continues_a_conversation(
    api: Api, emu: Emulator, clock: Clock, aid: str
) -> None:
    path = f"/agents/{aid}/conversations/messages"
    before = len(emu.state.conversations[aid])
    body = {"message": "Hello", "channel_type": "whatsapp", "channel_user_id": "+2348011112222"}
    first = await api("POST", path, {**body, "channel_username": "@ada"})
    assert first.status == 201
    assert set(first.data) == MESSAGE_SENT
    assert (first.data["role"], first.data["message"]) == ("user", "Hello")
    cid = first.data["conversation_id"]
    started = (await api("GET", f"/agents/{aid}/conversations/{cid}")).data
    assert (started["channel_type"], started["is_test_channel"]) == ("whatsapp", False)
    assert (started["channel_user_id"], started["channel_user_username"]) == (
        "+2348011112222",
        "@ada",
    )
    assert started["last_seen"] == started["last_message_at"] == NOW
    assert started["channel_id"] in {ch.id for ch in emu.state.setup(aid).channels}

    clock.now += 1
    again = await api("POST", path, {**body, "message": "Still there?"})
    assert again.data["conversation_id"] == cid
    clock.now += 1
    reply = await api(
        "POST", path, {"message": "Yes!", "conversation_id": cid, "role": "assistant"}
    )
    assert (reply.data["conversation_id"], reply.data["role"]) == (cid, "assistant")
    history = await api.page(f"/agents/{aid}/conversations/{cid}/messages")
    assert [m["message"] for m in history] == ["Hello", "Still there?", "Yes!"]

    test_line = (await api("POST", path, {**body, "is_test_channel": True})).data
    assert test_line["conversation_id"] != cid
    fresh = (await api("POST", path, {"message": "Anyone?"})).data
    assert emu.state.conversations[aid][fresh["conversation_id"]].channel_type == "webchat"
    assert len(emu.state.conversations[aid]) == before + 3
    test_conversation = emu.state.conversations[aid][test_line["conversation_id"]]
    assert (test_conversation.channel_type, test_conversation.is_test_channel) == (
        "test_whatsapp",
        True,
    )
    missing = await api("POST", path, {"message": "x", "conversation_id": "cv_nope"})
    assert missing.status == 404
    bad = await api("POST", path, {"role": "system", "channel_type": "fax", "is_test_channel": 1})
    assert bad.problems() == [
        "channel_type: must be one of whatsapp, webchat, telephony",
        "is_test_channel: must be a boolean",
        "message: is required",
        "role: must be one of user, assistant",
    ]


async def test_ai_status_and_attention(api: Api, emu: Emulator, aid: str) -> None:
    cid = next(c.id for c in emu.state.conversations[aid].values() if not c.needs_attention)
    path = f"/agents/{aid}/conversations/{cid}"
    paused = await api("PATCH", f"{path}/ai-status", {"is_ai_chat_paused": True})
    assert paused.data == {"is_ai_chat_paused": True}
    assert (await api("GET", path)).data["is_ai_chat_paused"] is True
    await api("POST", f"{path}/messages", {"message": "Hello? Anyone?"})
    assert (await api("GET", path)).data["needs_attention"] is True
    answered = await api("POST", f"{path}/messages", {"message": "Here!", "role": "assistant"})
    assert answered.data["role"] == "assistant"
    assert (await api("GET", path)).data["needs_attention"] is False
    assert (await api("PATCH", f"{path}/ai-status", {})).problems() == [
        "is_ai_chat_paused: is required"
    ]


async def test_messages_send_and_retrieve(api: Api, emu: Emulator, aid: str) -> None:
    cid = next(iter(emu.state.conversations[aid]))
    path = f"/agents/{aid}/conversations/{cid}/messages"
    sent = await api("POST", path, {"message": "Hi", "role": "user"})
    assert sent.status == 201
    fetched = (await api("GET", f"{path}/{sent.data['id']}")).data
    assert fetched == sent.data
    assert set(fetched) == MESSAGE_SENT
    listed = await api.page(path, limit="2", page="2")
    assert all(set(message) == MESSAGE_SENT for message in listed)
    assert (await api("GET", f"{path}/msg_nope")).body["message"] == "Message not found"
    assert (await api("POST", path, {"message": "x", "role": "bot"})).problems() == [
        "role: must be one of user, assistant"
    ]


@pytest.mark.parametrize("suffix", ["/stream", "/messages/stream"])
async def test_stream_on_both_paths(api: Api, emu: Emulator, aid: str, suffix: str) -> None:
    cid = next(iter(emu.state.conversations[aid]))
    base = f"/agents/{aid}/conversations/{cid}"
    ticket = (await api("POST", f"{base}/stream-ticket")).data["ticket"]
    emu.faults.cut_stream_after(3)
    url = emu.base_url + PREFIX + base + suffix
    async with api.session.get(url, params={"ticket": ticket}) as response:
        assert response.status == 200
        body = await response.text()
    ids = [line[4:] for line in body.splitlines() if line.startswith("id: ")]
    assert ids == [message.id for message in emu.state.messages[cid]]


async def test_deleting_the_agent_ends_its_open_streams(api: Api, emu: Emulator, aid: str) -> None:
    cid = next(iter(emu.state.conversations[aid]))
    base = f"/agents/{aid}/conversations/{cid}"
    ticket = (await api("POST", f"{base}/stream-ticket")).data["ticket"]
    replayed = len(emu.state.messages[cid])
    url = emu.base_url + PREFIX + base + "/stream"
    async with api.session.get(url, params={"ticket": ticket}) as response:
        seen = 0
        while seen < replayed:
            seen += (await response.content.readline()).startswith(b"data: ")
        await api("DELETE", f"/agents/{aid}")
        rest = await asyncio.wait_for(response.content.read(), 5)  # a guard, not a wait
    assert b"data: " not in rest


# Calls and phone numbers


async def test_calls(api: Api, emu: Emulator, aid: str) -> None:
    path = f"/agents/{aid}/calls"
    calls = await api.page(path, limit="100")
    assert len(calls) == 6
    assert all(set(call) == CALL for call in calls)
    assert [c["created_on"] for c in calls] == sorted(
        (c["created_on"] for c in calls), reverse=True
    )
    ended = await api.page(path, status="ended", is_test_call="false")
    assert ended
    assert {(c["status"], c["is_test_call"]) for c in ended} == {("ended", False)}
    detail = (await api("GET", f"{path}/{ended[0]['id']}")).data
    assert set(detail) == CALL_DETAIL
    assert detail["conversation_logs"]
    assert set(detail["conversation_logs"][0]) == MESSAGE
    line = emu.state.phone_numbers.line_of(aid)

    made = await api("POST", path, {"destination": "+2348012345678", "is_test_call": False})
    assert made.data == {
        "status": "initiated",
        "call_id": made.data["call_id"],
        "detail": "Call queued",
    }
    call = (await api("GET", f"{path}/{made.data['call_id']}")).data
    assert (call["status"], call["source"], call["created_on"]) == ("queued", line, NOW)
    assert call["conversation_logs"] == []
    busy = (await api("POST", path, {"destination": "+2348010000000", "is_test_call": True})).data
    assert busy["status"] == "busy"
    queued = await api.page(path, limit="100", status="queued")
    assert [c["id"] for c in queued] == [made.data["call_id"]]
    assert len(await api.page(path, limit="100")) == 8

    other = list(emu.state.agents)[1]
    no_line = await api(
        "POST", f"/agents/{other}/calls", {"destination": "+15551234567", "is_test_call": False}
    )
    assert no_line.data == {
        "status": "failed",
        "call_id": None,
        "detail": "No phone number is assigned to this agent",
    }
    assert (await api("GET", f"{path}/call_nope")).status == 404
    assert (await api("POST", path, {"destination": "0801 234 5678"})).problems() == [
        "destination: must be an E.164 number such as +2348012345678",
        "is_test_call: is required",
    ]
    assert (
        (await api("GET", path, status="lost")).problems()[0].startswith("status: must be one of")
    )


async def test_phone_numbers(api: Api, emu: Emulator) -> None:
    numbers = await api.page("/phone-numbers", limit="100")
    assert all(set(number) == PHONE_NUMBER for number in numbers)
    spare = next(number for number in numbers if number["agent_id"] is None)
    path = f"/phone-numbers/{spare['id']}"
    detail = (await api("GET", path)).data
    assert set(detail) == PHONE_NUMBER_DETAIL
    assert detail["inbound_enabled"] is False
    other = list(emu.state.agents)[1]
    assigned = (await api("PATCH", path, {"agent_id": other, "label": "Sales"})).data
    assert (assigned["agent_id"], assigned["label"], assigned["inbound_enabled"]) == (
        other,
        "Sales",
        True,
    )
    assert assigned["updated_at"] == NOW
    made = await api(
        "POST", f"/agents/{other}/calls", {"destination": "+15551234567", "is_test_call": False}
    )
    assert made.data["status"] == "initiated"
    unassigned = (await api("PATCH", path, {"agent_id": None})).data
    assert (unassigned["agent_id"], unassigned["label"], unassigned["inbound_enabled"]) == (
        None,
        "Sales",
        False,
    )
    nobody = await api("PATCH", path, {"agent_id": "ag_nope"})
    assert (nobody.status, nobody.body["message"]) == (404, "Agent not found")
    assert (await api("PATCH", path, {"label": None})).problems() == ["label: must be a string"]
    assert (await api("GET", "/phone-numbers/pn_nope")).status == 404


async def test_number_requests(api: Api, emu: Emulator, aid: str) -> None:
    seeded = await api.page("/phone-numbers/request", limit="100")
    assert all(set(item) == NUMBER_REQUEST for item in seeded)
    assert {(item["status"], item["e164"] is None) for item in seeded} == {
        ("fulfilled", False),
        ("pending", True),
    }
    body = {
        "business_name": "Acme",
        "intended_use": "Support line",
        "region": "ng",
        "agent_count": 2,
        "outbound_minutes": 0,
    }
    filed = await api("POST", "/phone-numbers/request", {**body, "submitted_by_agent_id": aid})
    assert (filed.status, filed.body) == (200, NULL_DATA)
    newest = (await api.page("/phone-numbers/request"))[0]
    assert {key: newest[key] for key in body} == body
    assert (newest["status"], newest["e164"], newest["agent_id"]) == ("pending", None, aid)
    unknown = await api("POST", "/phone-numbers/request", {**body, "submitted_by_agent_id": "x"})
    assert unknown.status == 404
    bad = {"business_name": "", "region": "mars", "agent_count": 0, "outbound_minutes": True}
    assert (await api("POST", "/phone-numbers/request", bad)).problems() == [
        "business_name: must not be empty",
        "intended_use: is required",
        "region: must be one of us, uk, eu, ng",
        "agent_count: must be at least 1",
        "outbound_minutes: must be an integer",
    ]


# What API 0.1.0 clients still call


async def test_legacy_paths(api: Api, aid: str) -> None:
    flows = (await api("GET", f"/agents/{aid}/conversation_flows")).data
    assert flows
    assert set(flows[0]) == {"name", "description", "category", "priority", "is_active"}
    legacy_calls = await api("GET", "/calls")
    assert (legacy_calls.status, legacy_calls.body["code"]) == (501, "not_implemented")


# Every new write goes through auth, idempotency and request recording

WRITES = [
    ("PATCH", "/agents/{a}/live-status", {"status": "live"}),
    ("POST", "/agents/{a}/actions/disable", {"action_ids": ["x"]}),
    ("POST", "/agents/{a}/integrations/bimpeai/configure", {"type": "stripe"}),
    ("POST", "/agents/{a}/integrations/custom_api/configure", {"name": "API"}),
    (
        "POST",
        "/agents/{a}/integrations/mcp_server/configure",
        {"name": "M", "server_url": "https://m.example"},
    ),
    ("POST", "/agents/{a}/integrations/pipedream/configure", {"app_slug": "slack"}),
    ("POST", "/workflows/clone", {"source_workflow_id": "{w}"}),
    ("POST", "/agents/{a}/conversations/messages", {"message": "hi"}),
    ("POST", "/agents/{a}/calls", {"destination": "+2348012345678", "is_test_call": True}),
    ("PATCH", "/phone-numbers/{p}", {"label": "L"}),
    (
        "POST",
        "/phone-numbers/request",
        {
            "business_name": "B",
            "intended_use": "U",
            "region": "us",
            "agent_count": 1,
            "outbound_minutes": 1,
        },
    ),
    ("DELETE", "/agents/{a}", None),
]


def _fill(text: str, emu: Emulator, aid: str, workflow: str) -> str:
    number = next(iter(emu.state.phone_numbers.numbers))
    return text.replace("{a}", aid).replace("{w}", workflow).replace("{p}", number)


def _counts(emu: Emulator) -> tuple[int, ...]:
    state = emu.state
    return (
        len(state.agents),
        len(state.workflows),
        sum(map(len, state.messages.values())),
        sum(map(len, state.calls.by_agent.values())),
        sum(map(len, state.integrations.by_agent.values())),
        len(state.phone_numbers.requests),
    )


@pytest.mark.parametrize(("method", "template", "body"), WRITES)
async def test_writes_need_the_write_scope_and_replay_once(
    api: Api,
    emu: Emulator,
    aid: str,
    owned_workflow: str,
    method: str,
    template: str,
    body: dict[str, Any] | None,
) -> None:
    path = _fill(template, emu, aid, owned_workflow)
    if body is not None:
        body = json.loads(_fill(json.dumps(body), emu, aid, owned_workflow))
    emu.add_api_key("sk_reader", frozenset({"read"}))
    before = _counts(emu)
    denied = await api(method, path, body, key="sk_reader")
    assert (denied.status, denied.body["code"]) == (403, "insufficient_scope")
    assert _counts(emu) == before
    key = {"Idempotency-Key": "once"}
    first = await api(method, path, body, headers=key)
    assert 200 <= first.status < 300, first.body
    done = _counts(emu)
    again = await api(method, path, body, headers=key)
    assert (again.status, again.body) == (first.status, first.body)
    assert _counts(emu) == done
    assert [(r.method, r.status) for r in emu.requests[-3:]] == [
        (method, 403),
        (method, first.status),
        (method, first.status),
    ]


@pytest.mark.parametrize(
    ("argv", "placeholders", "legacy"),
    [([], False, False), (["--legacy-bodies", "--workflow-placeholders"], True, True)],
)
def test_process_mode_sets_the_quirks(argv: list[str], placeholders: bool, legacy: bool) -> None:
    quirks = build(argv).quirks
    assert (quirks.workflow_placeholders, quirks.legacy_bodies) == (placeholders, legacy)

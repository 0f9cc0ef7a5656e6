"""``agents.integrations`` and its four families: wire, decoding, argument checks, lifecycles.

Four groups of tests:

- argument checks that fail before any I/O (the emulator must see no request);
- decoding of response bytes through the SDK's own decoder, for every family model;
- the wire: each of the 18 family operations sent to the emulator, answered with a
  canned envelope (``faults.respond_next``), so method, path, headers and body are
  asserted exactly whatever the emulator's routes do;
- lifecycles against the emulator's integration routes (configure, list, tools,
  discover / test, disconnect).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import msgspec
import pytest

from bimpe_async import (
    AsyncBimpeAI,
    BimpeaiIntegration,
    CustomApiIntegration,
    IntegrationTool,
    McpServerDiscoverResult,
    McpServerIntegration,
    McpServerTestResult,
    Model,
    NotFoundError,
    OnboardingUrl,
    PipedreamIntegration,
    UserError,
)
from bimpe_async._core import _decoder
from bimpe_async._endpoint import Endpoint
from bimpe_async.models import CreateToolParams, CustomApiConfig, McpServerConfig, PipedreamConfig
from bimpe_async.resources import integrations as specs
from bimpe_async.resources.integrations import AsyncIntegrations
from bimpe_async.testing import Emulator

PREFIX = "/api/v1/console"
AID = "ag_1"
IID = "int_1"
TID = "tl_1"
BASE = f"{PREFIX}/agents/{AID}/integrations"

TOOL: CreateToolParams = {
    "name": "Track order",
    "url_template": "https://api.shop.test/orders/{order_id}",
    "http_method": "GET",
    "description": "Where an order is",
    "url_params": [
        {"name": "order_id", "description": "The order number", "type": "string", "required": True}
    ],
    "response_mapping": {"path": "data.status", "success_message": "Found it"},
    "require_human_approval": False,
    "timeout": 10,
}

BIMPEAI_ITEM: dict[str, Any] = {
    "id": None,
    "type": "paystack",
    "name": "Paystack",
    "status": "inactive",
    "is_connected": False,
}
ONBOARDING: dict[str, Any] = {"onboarding_url": "https://console.bimpe.test/connect?state=int_1"}
CUSTOM_API_ITEM: dict[str, Any] = {
    "id": IID,
    "config": {"name": "Shop API", "base_url": "https://api.shop.test", "auth_type": "bearer"},
}
TOOL_ITEM: dict[str, Any] = {
    "id": TID,
    "action_name": "track_order",
    "name": "Track order",
    "category": "custom_api",
    "description": "Where an order is",
    "is_enabled": True,
}
MCP_ITEM: dict[str, Any] = {
    "id": IID,
    "config": {
        "name": "Docs",
        "server_url": "https://mcp.docs.test/sse",
        "transport": "http_sse",
        "auth_type": "none",
    },
}
MCP_TEST: dict[str, Any] = {
    "success": True,
    "message": "Connected",
    "error": None,
    "tools_count": 3,
}
MCP_DISCOVER: dict[str, Any] = {"discovered": 3, "created": 2, "updated": 1, "disabled": 0}
PIPEDREAM_ITEM: dict[str, Any] = {
    "id": IID,
    "channel_type": "pipedream",
    "config": {
        "app_slug": "slack",
        "server_url": "https://remote.mcp.pipedream.test/slack",
        "app_name": "Slack",
        "app_icon": None,
    },
}

Call = Callable[[AsyncIntegrations], Awaitable[Any]]


def body_of(emulator: Emulator) -> object:
    return msgspec.json.decode(emulator.requests[-1].body)


def envelope(data: object) -> bytes:
    return msgspec.json.encode({"message": "ok", "data": data})


def raw_of(result: object) -> object:
    """What the server sent for ``result``, as plain JSON values."""
    if isinstance(result, list):
        return [raw_of(item) for item in result]
    assert isinstance(result, Model)
    return result.model_raw


# --- Argument checks: all fail before a request is made ---------------------------------


async def test_unknown_keywords_are_user_errors_that_point_to_extra_body(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    calls: list[tuple[str, Call]] = [
        ("colour", lambda i: i.bimpeai.configure(AID, type="stripe", colour="red")),  # type: ignore[call-arg]
        ("colour", lambda i: i.custom_api.configure(AID, name="x", colour="red")),  # type: ignore[call-arg]
        (
            "colour",
            lambda i: i.mcp_server.configure(AID, name="x", server_url="u", colour="red"),  # type: ignore[call-arg]
        ),
        ("colour", lambda i: i.pipedream.configure(AID, app_slug="slack", colour="red")),  # type: ignore[call-arg]
        ("force", lambda i: i.mcp_server.discover(AID, IID, force=True)),  # type: ignore[call-arg]
        ("verbose", lambda i: i.mcp_server.test(AID, IID, verbose=True)),  # type: ignore[call-arg]
        ("cascade", lambda i: i.custom_api.disconnect(AID, IID, cascade=True)),  # type: ignore[call-arg]
        ("name", lambda i: i.custom_api.tools.add(AID, IID, TOOL, name="dup")),  # type: ignore[call-arg]
    ]
    for name, call in calls:
        with pytest.raises(UserError, match="extra_body") as caught:
            await call(client.agents.integrations)
        assert name in str(caught.value)
    assert emulator.requests == []


async def test_missing_required_fields_are_user_errors(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    families = client.agents.integrations
    with pytest.raises(UserError, match=r"missing required argument.*server_url"):
        await families.mcp_server.configure(AID, name="Docs")  # type: ignore[call-arg]
    with pytest.raises(UserError, match=r"missing required argument.*type"):
        await families.bimpeai.configure(AID)  # type: ignore[call-arg]
    with pytest.raises(UserError, match=r"missing required argument.*app_slug"):
        await families.pipedream.configure(AID, app_name="Slack")  # type: ignore[call-arg]
    with pytest.raises(UserError, match="http_method, url_template"):
        await families.custom_api.tools.add(AID, IID, {"name": "x"})  # type: ignore[typeddict-item]
    with pytest.raises(UserError, match="body must be a dict"):
        await families.custom_api.tools.add(AID, IID, [("name", "x")])  # type: ignore[arg-type]
    with pytest.raises(UserError, match=r"unexpected argument.*colour"):
        await families.custom_api.tools.add(AID, IID, {**TOOL, "colour": "red"})  # type: ignore[typeddict-unknown-key]
    assert emulator.requests == []


async def test_bad_ids_are_user_errors(client: AsyncBimpeAI, emulator: Emulator) -> None:
    families = client.agents.integrations
    with pytest.raises(UserError, match="agent_id must be a non-empty string"):
        await families.bimpeai.list("")
    with pytest.raises(UserError, match="integration_id must be a non-empty string"):
        await families.pipedream.disconnect(AID, None)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="integration_id must be a non-empty string"):
        await families.mcp_server.discover(AID, 7)  # type: ignore[arg-type]
    with pytest.raises(UserError, match="tool_id must be a non-empty string"):
        await families.custom_api.tools.delete(AID, IID, "")
    with pytest.raises(UserError, match="agent_id must be a non-empty string"):
        await families.custom_api.configure(b"ag_1", name="x")  # type: ignore[arg-type]
    assert emulator.requests == []


# --- Decoding, through the decoder every call uses --------------------------------------


def decode(spec: Endpoint[Any], data: object) -> Any:
    return _decoder(spec.data).decode(envelope(data)).data


def test_family_models_decode_with_their_values() -> None:
    (bimpeai,) = decode(specs.BIMPEAI_LIST, [BIMPEAI_ITEM])
    assert isinstance(bimpeai, BimpeaiIntegration)
    assert (bimpeai.id, bimpeai.type, bimpeai.name, bimpeai.is_connected) == (
        None,
        "paystack",
        "Paystack",
        False,
    )
    onboarding = decode(specs.PIPEDREAM_CONFIGURE, ONBOARDING)
    assert onboarding == OnboardingUrl(onboarding_url=ONBOARDING["onboarding_url"])

    custom = decode(specs.CUSTOM_API_CONFIGURE, CUSTOM_API_ITEM)
    assert custom == CustomApiIntegration(
        id=IID,
        config=CustomApiConfig(
            name="Shop API", base_url="https://api.shop.test", auth_type="bearer"
        ),
    )
    (tool,) = decode(specs.CUSTOM_API_TOOLS_LIST, [TOOL_ITEM])
    assert tool == IntegrationTool(**TOOL_ITEM)

    mcp = decode(specs.MCP_SERVER_CONFIGURE, MCP_ITEM)
    assert mcp == McpServerIntegration(id=IID, config=McpServerConfig(**MCP_ITEM["config"]))
    assert decode(specs.MCP_SERVER_TEST, MCP_TEST) == McpServerTestResult(**MCP_TEST)
    assert decode(specs.MCP_SERVER_DISCOVER, MCP_DISCOVER) == McpServerDiscoverResult(
        **MCP_DISCOVER
    )

    (pipedream,) = decode(specs.PIPEDREAM_LIST, [PIPEDREAM_ITEM])
    assert pipedream == PipedreamIntegration(
        id=IID, channel_type="pipedream", config=PipedreamConfig(**PIPEDREAM_ITEM["config"])
    )


def test_family_models_are_lenient() -> None:
    """Only ids are required; new enum values, extra fields and lax scalars decode."""
    (bimpeai,) = decode(specs.BIMPEAI_LIST, [{"type": "shopify", "is_connected": "true"}])
    assert (bimpeai.id, bimpeai.type, bimpeai.name, bimpeai.is_connected) == (
        None,
        "shopify",
        None,
        True,
    )
    assert decode(specs.BIMPEAI_CONFIGURE, {}) == OnboardingUrl(onboarding_url=None)
    custom = decode(specs.CUSTOM_API_LIST, [{"id": IID, "config": {"auth_type": "oauth2"}}])
    assert custom[0].config == CustomApiConfig(auth_type="oauth2")
    assert decode(specs.MCP_SERVER_LIST, [{"id": IID}]) == [McpServerIntegration(id=IID)]
    mcp = decode(specs.MCP_SERVER_CONFIGURE, {"id": IID, "config": {"transport": "websocket"}})
    assert mcp.config.transport == "websocket"
    assert decode(specs.MCP_SERVER_TEST, {"success": False}) == McpServerTestResult()
    discovered = decode(specs.MCP_SERVER_DISCOVER, {"discovered": "4", "created": 4})
    assert (discovered.discovered, discovered.created, discovered.disabled) == (4, 4, None)
    assert decode(specs.MCP_SERVER_TOOLS_LIST, [{"id": TID}]) == [IntegrationTool(id=TID)]
    assert decode(specs.PIPEDREAM_LIST, [{"id": IID, "later": 1}]) == [PipedreamIntegration(id=IID)]


@pytest.mark.parametrize(
    ("spec", "data"),
    [
        (specs.CUSTOM_API_LIST, [{"config": {}}]),
        (specs.MCP_SERVER_CONFIGURE, {"config": {"name": "x"}}),
        (specs.CUSTOM_API_TOOLS_ADD, {"name": "x"}),
        (specs.PIPEDREAM_LIST, [{"id": None}]),
        (specs.CUSTOM_API_TOOLS_LIST, None),
    ],
)
def test_family_models_still_need_their_ids(spec: Endpoint[Any], data: object) -> None:
    with pytest.raises(msgspec.ValidationError):
        decode(spec, data)


@pytest.mark.parametrize(
    "spec",
    [
        specs.BIMPEAI_DISCONNECT,
        specs.CUSTOM_API_DISCONNECT,
        specs.CUSTOM_API_TOOLS_DELETE,
        specs.MCP_SERVER_DISCONNECT,
        specs.PIPEDREAM_DISCONNECT,
    ],
)
def test_deletes_carry_no_data(spec: Endpoint[None]) -> None:
    assert spec.data is None
    assert spec.body is None
    assert _decoder(spec.data).decode(envelope(None)).message == "ok"


# --- The wire: every family operation, answered with a canned envelope ------------------

# (operation, call, method, path under BASE, JSON body sent or None, data answered)
WIRE: list[tuple[str, Call, str, str, object, object]] = [
    ("bimpeai.list", lambda i: i.bimpeai.list(AID), "GET", "/bimpeai", None, [BIMPEAI_ITEM]),
    (
        "bimpeai.configure",
        lambda i: i.bimpeai.configure(AID, type="paystack", secret_key="sk", public_key="pk"),
        "POST",
        "/bimpeai/configure",
        {"type": "paystack", "secret_key": "sk", "public_key": "pk"},
        ONBOARDING,
    ),
    (
        "bimpeai.disconnect",
        lambda i: i.bimpeai.disconnect(AID, IID),
        "DELETE",
        f"/bimpeai/{IID}",
        None,
        None,
    ),
    (
        "custom_api.list",
        lambda i: i.custom_api.list(AID),
        "GET",
        "/custom_api",
        None,
        [CUSTOM_API_ITEM],
    ),
    (
        "custom_api.configure",
        lambda i: i.custom_api.configure(
            AID,
            name="Shop API",
            base_url="https://api.shop.test",
            auth_type="bearer",
            auth_config={"token": "t0k"},
        ),
        "POST",
        "/custom_api/configure",
        {
            "name": "Shop API",
            "base_url": "https://api.shop.test",
            "auth_type": "bearer",
            "auth_config": {"token": "t0k"},
        },
        CUSTOM_API_ITEM,
    ),
    (
        "custom_api.disconnect",
        lambda i: i.custom_api.disconnect(AID, IID),
        "DELETE",
        f"/custom_api/{IID}",
        None,
        None,
    ),
    (
        "custom_api.tools.list",
        lambda i: i.custom_api.tools.list(AID, IID),
        "GET",
        f"/custom_api/{IID}/tools",
        None,
        [TOOL_ITEM],
    ),
    (
        "custom_api.tools.add",
        lambda i: i.custom_api.tools.add(AID, IID, TOOL),
        "POST",
        f"/custom_api/{IID}/tools",
        TOOL,
        TOOL_ITEM,
    ),
    (
        "custom_api.tools.delete",
        lambda i: i.custom_api.tools.delete(AID, IID, TID),
        "DELETE",
        f"/custom_api/{IID}/tools/{TID}",
        None,
        None,
    ),
    ("mcp_server.list", lambda i: i.mcp_server.list(AID), "GET", "/mcp_server", None, [MCP_ITEM]),
    (
        "mcp_server.configure",
        lambda i: i.mcp_server.configure(
            AID, name="Docs", server_url="https://mcp.docs.test/sse", transport="http_sse"
        ),
        "POST",
        "/mcp_server/configure",
        {"name": "Docs", "server_url": "https://mcp.docs.test/sse", "transport": "http_sse"},
        MCP_ITEM,
    ),
    (
        "mcp_server.disconnect",
        lambda i: i.mcp_server.disconnect(AID, IID),
        "DELETE",
        f"/mcp_server/{IID}",
        None,
        None,
    ),
    (
        "mcp_server.discover",
        lambda i: i.mcp_server.discover(AID, IID),
        "POST",
        f"/mcp_server/{IID}/discover",
        None,
        MCP_DISCOVER,
    ),
    (
        "mcp_server.test",
        lambda i: i.mcp_server.test(AID, IID),
        "POST",
        f"/mcp_server/{IID}/test",
        None,
        MCP_TEST,
    ),
    (
        "mcp_server.tools.list",
        lambda i: i.mcp_server.tools.list(AID, IID),
        "GET",
        f"/mcp_server/{IID}/tools",
        None,
        [TOOL_ITEM],
    ),
    (
        "pipedream.list",
        lambda i: i.pipedream.list(AID),
        "GET",
        "/pipedream",
        None,
        [PIPEDREAM_ITEM],
    ),
    (
        "pipedream.configure",
        lambda i: i.pipedream.configure(AID, app_slug="slack", app_name="Slack"),
        "POST",
        "/pipedream/configure",
        {"app_slug": "slack", "app_name": "Slack"},
        ONBOARDING,
    ),
    (
        "pipedream.disconnect",
        lambda i: i.pipedream.disconnect(AID, IID),
        "DELETE",
        f"/pipedream/{IID}",
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("call", "method", "path", "sent_body", "data"),
    [case[1:] for case in WIRE],
    ids=[case[0] for case in WIRE],
)
async def test_family_operation_on_the_wire(
    client: AsyncBimpeAI,
    emulator: Emulator,
    call: Call,
    method: str,
    path: str,
    sent_body: object,
    data: object,
) -> None:
    emulator.faults.respond_next(body=envelope(data))
    result = await call(client.agents.integrations)
    (sent,) = emulator.requests
    assert (sent.method, sent.path, sent.query) == (method, BASE + path, {})
    if sent_body is None:
        assert sent.body == b""
        assert "content-type" not in sent.headers
    else:
        assert sent.headers["content-type"] == "application/json"
        assert body_of(emulator) == sent_body
    assert ("idempotency-key" in sent.headers) == (method != "GET")
    if data is None:
        assert result is None
    else:
        assert raw_of(result) == data


def test_wire_table_covers_every_family_operation() -> None:
    declared = {
        spec.name.removeprefix("agents.integrations.")
        for spec in vars(specs).values()
        if isinstance(spec, Endpoint)
    }
    assert declared - {"list"} == {case[0] for case in WIRE}


async def test_ids_are_encoded_as_whole_segments(client: AsyncBimpeAI, emulator: Emulator) -> None:
    emulator.faults.respond_next(body=envelope(None))
    await client.agents.integrations.custom_api.tools.delete("ag/1", "int 1", "..")
    assert emulator.requests[-1].path == (
        f"{PREFIX}/agents/ag%2F1/integrations/custom_api/int%201/tools/%2E%2E"
    )


async def test_per_call_options_reach_the_wire(client: AsyncBimpeAI, emulator: Emulator) -> None:
    families = client.agents.integrations
    emulator.faults.respond_next(body=envelope(ONBOARDING))
    await families.bimpeai.configure(
        AID,
        type="stripe",
        idempotency_key="configure-1",
        headers={"X-Request-Id": "req-1"},
        extra_body={"beta": True},
        timeout=5,
    )
    sent = emulator.requests[-1]
    assert sent.headers["idempotency-key"] == "configure-1"
    assert sent.headers["x-request-id"] == "req-1"
    assert body_of(emulator) == {"type": "stripe", "beta": True}

    emulator.faults.respond_next(body=envelope(TOOL_ITEM))
    await families.custom_api.tools.add(AID, IID, TOOL, idempotency_key="tool-1", timeout=3)
    sent = emulator.requests[-1]
    assert sent.headers["idempotency-key"] == "tool-1"
    assert body_of(emulator) == TOOL  # the body's own timeout, not the call's

    emulator.faults.respond_next(body=envelope(MCP_DISCOVER))
    await families.mcp_server.discover(AID, IID, idempotency_key="discover-1")
    sent = emulator.requests[-1]
    assert (sent.headers["idempotency-key"], sent.body) == ("discover-1", b"")

    emulator.faults.respond_next(body=envelope(MCP_TEST))
    await families.mcp_server.test(AID, IID, extra_query={"dry": True})
    assert emulator.requests[-1].query == {"dry": "true"}


async def test_unknown_response_fields_stay_readable(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    emulator.faults.respond_next(
        body=envelope({**MCP_ITEM, "health": "ok", "config": {**MCP_ITEM["config"], "v": 2}})
    )
    mcp = await client.agents.integrations.mcp_server.configure(
        AID, name="Docs", server_url="https://mcp.docs.test/sse"
    )
    assert mcp.model_extra == {"health": "ok"}
    assert mcp.health == "ok"
    assert mcp.config is not None
    assert mcp.config.model_extra == {"v": 2}


# --- Lifecycles against the emulator's integration routes -------------------------------


async def new_agent(client: AsyncBimpeAI) -> str:
    return (await client.agents.create(name="Integrator", description="connects things")).id


async def test_custom_api_lifecycle(client: AsyncBimpeAI, emulator: Emulator) -> None:
    agent_id = await new_agent(client)
    custom_api = client.agents.integrations.custom_api

    created = await custom_api.configure(
        agent_id,
        name="Shop API",
        base_url="https://api.shop.test",
        auth_type="bearer",
        auth_config={"token": "t0k"},
    )
    sent = emulator.requests[-1]
    assert (sent.method, sent.path) == (
        "POST",
        f"{PREFIX}/agents/{agent_id}/integrations/custom_api/configure",
    )
    assert "idempotency-key" in sent.headers
    assert isinstance(created, CustomApiIntegration)
    assert created.config == CustomApiConfig(
        name="Shop API", base_url="https://api.shop.test", auth_type="bearer"
    )
    listed = await custom_api.list(agent_id)
    assert all(isinstance(item, CustomApiIntegration) for item in listed)
    assert created in listed

    tool = await custom_api.tools.add(agent_id, created.id, TOOL)
    assert body_of(emulator) == TOOL
    assert isinstance(tool, IntegrationTool)
    assert (tool.name, tool.description) == (TOOL["name"], TOOL["description"])
    assert [t.id for t in await custom_api.tools.list(agent_id, created.id)] == [tool.id]

    assert await custom_api.tools.delete(agent_id, created.id, tool.id) is None
    sent = emulator.requests[-1]
    assert (sent.method, sent.body) == ("DELETE", b"")
    assert await custom_api.tools.list(agent_id, created.id) == []
    with pytest.raises(NotFoundError):
        await custom_api.tools.delete(agent_id, created.id, tool.id)

    assert await custom_api.disconnect(agent_id, created.id) is None
    assert created.id not in {item.id for item in await custom_api.list(agent_id)}
    with pytest.raises(NotFoundError):
        await custom_api.disconnect(agent_id, created.id)


async def test_mcp_server_lifecycle(client: AsyncBimpeAI, emulator: Emulator) -> None:
    agent_id = await new_agent(client)
    mcp_server = client.agents.integrations.mcp_server

    created = await mcp_server.configure(
        agent_id, name="Docs", server_url="https://mcp.docs.test/sse", transport="http_sse"
    )
    assert isinstance(created, McpServerIntegration)
    assert created.config is not None
    assert (created.config.name, created.config.server_url, created.config.transport) == (
        "Docs",
        "https://mcp.docs.test/sse",
        "http_sse",
    )
    assert created.id in {item.id for item in await mcp_server.list(agent_id)}

    tested = await mcp_server.test(agent_id, created.id)
    sent = emulator.requests[-1]
    assert (sent.method, sent.body, "content-type" in sent.headers) == ("POST", b"", False)
    assert "idempotency-key" in sent.headers
    assert isinstance(tested, McpServerTestResult)
    assert tested.success is True
    assert isinstance(tested.message, str)

    found = await mcp_server.discover(agent_id, created.id)
    sent = emulator.requests[-1]
    assert (sent.method, sent.body, "content-type" in sent.headers) == ("POST", b"", False)
    assert isinstance(found, McpServerDiscoverResult)
    assert found.discovered is not None
    assert found.discovered > 0
    assert (found.created, found.disabled) == (found.discovered, 0)
    tools = await mcp_server.tools.list(agent_id, created.id)
    assert all(isinstance(tool, IntegrationTool) for tool in tools)
    assert len(tools) == found.discovered

    assert await mcp_server.disconnect(agent_id, created.id) is None
    assert created.id not in {item.id for item in await mcp_server.list(agent_id)}


async def test_bimpeai_lifecycle(client: AsyncBimpeAI, emulator: Emulator) -> None:
    agent_id = await new_agent(client)
    bimpeai = client.agents.integrations.bimpeai
    apps = await bimpeai.list(agent_id)
    assert all(isinstance(app, BimpeaiIntegration) for app in apps)
    assert {app.type for app in apps} <= {
        "bumpa",
        "google_calendar",
        "google_sheets",
        "paystack",
        "stripe",
    }

    onboarding = await bimpeai.configure(agent_id, type="paystack", secret_key="sk_test_x")
    assert body_of(emulator) == {"type": "paystack", "secret_key": "sk_test_x"}
    assert isinstance(onboarding, OnboardingUrl)
    assert (onboarding.onboarding_url or "").startswith("http")
    (paystack,) = [app for app in await bimpeai.list(agent_id) if app.type == "paystack"]
    assert paystack.id is not None

    assert await bimpeai.disconnect(agent_id, paystack.id) is None
    assert paystack.id not in {app.id for app in await bimpeai.list(agent_id)}


async def test_pipedream_lifecycle(client: AsyncBimpeAI, emulator: Emulator) -> None:
    agent_id = await new_agent(client)
    pipedream = client.agents.integrations.pipedream

    onboarding = await pipedream.configure(agent_id, app_slug="slack", app_name="Slack")
    assert body_of(emulator) == {"app_slug": "slack", "app_name": "Slack"}
    assert isinstance(onboarding, OnboardingUrl)
    assert (onboarding.onboarding_url or "").startswith("http")
    listed = await pipedream.list(agent_id)
    assert all(isinstance(item, PipedreamIntegration) for item in listed)
    (slack,) = [item for item in listed if item.config and item.config.app_slug == "slack"]

    assert await pipedream.disconnect(agent_id, slack.id) is None
    assert slack.id not in {item.id for item in await pipedream.list(agent_id)}
    with pytest.raises(NotFoundError):
        await pipedream.disconnect(agent_id, slack.id)

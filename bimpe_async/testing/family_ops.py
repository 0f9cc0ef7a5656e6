"""What is particular to each integration family: configuring, listing, tools, probes.

- ``bimpeai``: one integration per app. Configuring returns an onboarding URL; the
  integration is connected at once when a credential (``token`` or ``secret_key``)
  came with it, else it stays ``pending`` (the person finishes at the URL).
  Configuring an app again updates the same integration.
- ``custom_api``: each configure adds an API; its tools are added one by one. Two
  tools of one API may not share a name (409).
- ``mcp_server``: discovery finds ``catalogue.MCP_TOOLS`` on every reachable server;
  tools the server stopped offering are disabled. A host under ``.invalid`` is
  unreachable: ``test`` reports the failure, ``discover`` answers 400.
- ``pipedream``: one integration per app slug, ``pending`` until onboarding.

Ids are drawn from the ``new_id`` passed in, so the seeder builds the same records
with its own reproducible ids.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from .catalogue import APPS, MCP_TOOLS, ActionSpec, onboarding_url, pipedream_server_url, reachable
from .errors import ApiError, bad_request, not_found
from .integrations import Integrations, StoredAction, StoredIntegration
from .models_integrations import (
    BIMPEAI_TYPES,
    BimpeaiIntegration,
    CustomApiConfig,
    CustomApiIntegration,
    IntegrationTool,
    McpServerConfig,
    McpServerDiscoverResult,
    McpServerIntegration,
    McpServerTestResult,
    OnboardingUrl,
    PipedreamConfig,
    PipedreamIntegration,
)

NewId = Callable[[str], str]
CREDENTIALS = ("token", "secret_key")


def _action(integration: StoredIntegration, spec: ActionSpec, category: str, new_id: NewId) -> None:
    integration.add_action(
        StoredAction(
            id=new_id("act"),
            integration_id=integration.id,
            action_name=spec.action_name,
            name=spec.name,
            category=category,
            description=spec.description,
            require_human_approval=spec.require_human_approval,
        )
    )


# bimpeai


def app_integration(
    agent_id: str, kind: str, *, connected: bool, new_id: NewId
) -> StoredIntegration:
    """A built-in app with every action it offers."""
    app = APPS[kind]
    integration = StoredIntegration(
        id=new_id("int"),
        agent_id=agent_id,
        family="bimpeai",
        type=kind,
        name=app.name,
        status="connected" if connected else "pending",
        is_connected=connected,
        config_fields=list(app.config_fields),
    )
    for spec in app.actions:
        _action(integration, spec, app.category, new_id)
    return integration


def bimpeai_list(store: Integrations, agent_id: str) -> list[BimpeaiIntegration]:
    """Every app, configured or not (``id`` null and not connected when not)."""
    configured = {item.type: item for item in store.of(agent_id, "bimpeai")}
    listed = []
    for kind in BIMPEAI_TYPES:
        item = configured.get(kind)
        if item is None:
            listed.append(
                BimpeaiIntegration(
                    type=kind, name=APPS[kind].name, status="not_connected", is_connected=False
                )
            )
        else:
            listed.append(
                BimpeaiIntegration(
                    id=item.id,
                    type=kind,
                    name=item.name,
                    status=item.status,
                    is_connected=item.is_connected,
                )
            )
    return listed


def configure_bimpeai(
    store: Integrations, agent_id: str, fields: Mapping[str, Any]
) -> OnboardingUrl:
    kind = fields["type"]
    settings = {key: value for key, value in fields.items() if key != "type"}
    credentialed = any(settings.get(key) for key in CREDENTIALS)
    existing = next((item for item in store.of(agent_id, "bimpeai") if item.type == kind), None)
    if existing is None:
        existing = store.create(
            app_integration(agent_id, kind, connected=credentialed, new_id=store.new_id)
        )
    elif credentialed:
        existing.status, existing.is_connected = "connected", True
    existing.settings.update(settings)
    return OnboardingUrl(onboarding_url=onboarding_url(kind, existing.id))


# custom_api


def custom_api_view(item: StoredIntegration) -> CustomApiIntegration:
    config = CustomApiConfig(
        name=item.name,
        base_url=item.settings.get("base_url"),
        auth_type=item.settings.get("auth_type") or "none",
    )
    return CustomApiIntegration(id=item.id, config=config)


def custom_api(agent_id: str, fields: Mapping[str, Any], new_id: NewId) -> StoredIntegration:
    return StoredIntegration(
        id=new_id("int"),
        agent_id=agent_id,
        family="custom_api",
        type="custom_api",
        name=fields["name"],
        status="connected",
        is_connected=True,
        settings=dict(fields),
    )


def action_name(name: str) -> str:
    """``"Create order"`` -> ``"create_order"``: how a tool's name becomes callable."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "tool"


def custom_tool(
    integration: StoredIntegration, definition: Mapping[str, Any], new_id: NewId
) -> StoredAction:
    """Adds a tool described by a validated ``ToolBody``; 409 when its name is taken."""
    name = definition["name"]
    callable_name = action_name(name)
    if any(action.action_name == callable_name for action in integration.actions.values()):
        raise ApiError(409, "conflict", f"This API already has a tool named {name!r}")
    return integration.add_action(
        StoredAction(
            id=new_id("tool"),
            integration_id=integration.id,
            action_name=callable_name,
            name=name,
            category=definition.get("category") or "custom",
            description=definition.get("description"),
            require_human_approval=bool(definition.get("require_human_approval")),
            definition=dict(definition),
        )
    )


def tools(integration: StoredIntegration) -> list[IntegrationTool]:
    return [action.tool() for action in integration.actions.values()]


def delete_tool(integration: StoredIntegration, tool_id: str) -> None:
    if integration.actions.pop(tool_id, None) is None:
        raise not_found("Tool")


# mcp_server


def mcp_view(item: StoredIntegration) -> McpServerIntegration:
    config = McpServerConfig(
        name=item.name,
        server_url=item.settings["server_url"],
        transport=item.settings.get("transport") or "streamable_http",
        auth_type=item.settings.get("auth_type") or "none",
    )
    return McpServerIntegration(id=item.id, config=config)


def mcp_server(agent_id: str, fields: Mapping[str, Any], new_id: NewId) -> StoredIntegration:
    up = reachable(fields["server_url"])
    return StoredIntegration(
        id=new_id("int"),
        agent_id=agent_id,
        family="mcp_server",
        type="mcp_server",
        name=fields["name"],
        status="connected" if up else "error",
        is_connected=up,
        settings=dict(fields),
    )


def discover(integration: StoredIntegration, new_id: NewId) -> McpServerDiscoverResult:
    url = integration.settings["server_url"]
    if not reachable(url):
        raise bad_request(f"Could not reach the MCP server at {url}")
    known = {action.action_name: action for action in integration.actions.values()}
    created = updated = 0
    for spec in MCP_TOOLS:
        found = known.get(spec.action_name)
        if found is None:
            _action(integration, spec, "mcp", new_id)
            created += 1
        else:
            found.name, found.description = spec.name, spec.description
            updated += 1
    offered = {spec.action_name for spec in MCP_TOOLS}
    gone = [a for a in known.values() if a.action_name not in offered and a.is_enabled]
    for action in gone:
        action.is_enabled = False
    return McpServerDiscoverResult(
        discovered=len(MCP_TOOLS), created=created, updated=updated, disabled=len(gone)
    )


def probe(integration: StoredIntegration) -> McpServerTestResult:
    """Tries the server, and records the outcome as the integration's status."""
    url = integration.settings["server_url"]
    up = reachable(url)
    integration.status, integration.is_connected = ("connected", True) if up else ("error", False)
    if up:
        return McpServerTestResult(
            success=True, message=f"Connected to {integration.name}", tools_count=len(MCP_TOOLS)
        )
    return McpServerTestResult(
        success=False,
        message="Could not connect to the MCP server",
        error=f"Could not resolve host {urlsplit(url).hostname}",
    )


# pipedream


def pipedream_view(item: StoredIntegration) -> PipedreamIntegration:
    config = PipedreamConfig(
        app_slug=item.settings["app_slug"],
        server_url=pipedream_server_url(item.settings["app_slug"]),
        app_name=item.settings.get("app_name"),
        app_icon=item.settings.get("app_icon"),
    )
    return PipedreamIntegration(id=item.id, channel_type="pipedream", config=config)


def pipedream_app(
    agent_id: str, fields: Mapping[str, Any], new_id: NewId, *, connected: bool = False
) -> StoredIntegration:
    return StoredIntegration(
        id=new_id("int"),
        agent_id=agent_id,
        family="pipedream",
        type="pipedream",
        name=fields.get("app_name") or fields["app_slug"],
        status="connected" if connected else "pending",
        is_connected=connected,
        settings=dict(fields),
    )


def configure_pipedream(
    store: Integrations, agent_id: str, fields: Mapping[str, Any]
) -> OnboardingUrl:
    slug = fields["app_slug"]
    existing = next(
        (item for item in store.of(agent_id, "pipedream") if item.settings["app_slug"] == slug),
        None,
    )
    if existing is None:
        existing = store.create(pipedream_app(agent_id, fields, store.new_id))
    else:
        existing.settings.update(fields)
        existing.name = fields.get("app_name") or existing.name
    return OnboardingUrl(onboarding_url=onboarding_url("pipedream", existing.id))

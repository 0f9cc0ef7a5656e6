"""What connects an agent to the outside: channels, integrations, their tools and actions.

Four integration families share one store (``integrations.py``): ``bimpeai`` (built-in
apps such as Paystack), ``custom_api`` (the team's own HTTP API, described as tools),
``mcp_server`` (tools discovered from an MCP server) and ``pipedream`` (apps connected
through Pipedream). Each family has its own list shape; every integration also
appears, summarised, in the agent's detail and in ``GET .../integrations``.
"""

from __future__ import annotations

import msgspec

BIMPEAI_TYPES = ("bumpa", "google_calendar", "google_sheets", "paystack", "stripe")
AUTH_TYPES = ("none", "bearer", "basic", "api_key", "custom")
TRANSPORTS = ("http_sse", "streamable_http")
HTTP_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH")
PARAM_TYPES = ("string", "number", "integer", "boolean", "array", "object")


class AgentChannel(msgspec.Struct, kw_only=True):
    id: str
    type: str
    name: str
    status: str
    is_connected: bool


class IntegrationSummary(msgspec.Struct, kw_only=True):
    id: str
    type: str
    name: str
    status: str
    is_connected: bool


class ConfigField(msgspec.Struct, kw_only=True):
    key: str
    label: str
    type: str
    required: bool


class IntegrationAction(msgspec.Struct, kw_only=True):
    action_name: str
    name: str
    category: str
    description: str | None = None
    is_enabled: bool
    require_human_approval: bool


class AgentIntegration(IntegrationSummary, kw_only=True):
    config_fields: list[ConfigField]
    actions: list[IntegrationAction]


class AgentAction(msgspec.Struct, kw_only=True):
    id: str
    integration_id: str
    integration_type: str
    integration_name: str
    name: str
    action_name: str
    description: str | None = None
    is_enabled: bool


class IntegrationTool(msgspec.Struct, kw_only=True):
    id: str
    action_name: str
    name: str
    category: str
    description: str | None = None
    is_enabled: bool


class BimpeaiIntegration(msgspec.Struct, kw_only=True):
    """One built-in app; ``id`` is null while the agent has not configured it."""

    id: str | None = None
    type: str
    name: str
    status: str
    is_connected: bool


class OnboardingUrl(msgspec.Struct, kw_only=True):
    onboarding_url: str


class CustomApiConfig(msgspec.Struct, kw_only=True):
    name: str
    base_url: str | None = None
    auth_type: str


class CustomApiIntegration(msgspec.Struct, kw_only=True):
    id: str
    config: CustomApiConfig


class McpServerConfig(msgspec.Struct, kw_only=True):
    name: str
    server_url: str
    transport: str
    auth_type: str


class McpServerIntegration(msgspec.Struct, kw_only=True):
    id: str
    config: McpServerConfig


class McpServerTestResult(msgspec.Struct, kw_only=True):
    success: bool
    message: str
    error: str | None = None
    tools_count: int | None = None


class McpServerDiscoverResult(msgspec.Struct, kw_only=True):
    discovered: int
    created: int
    updated: int
    disabled: int


class PipedreamConfig(msgspec.Struct, kw_only=True):
    app_slug: str
    server_url: str
    app_name: str | None = None
    app_icon: str | None = None


class PipedreamIntegration(msgspec.Struct, kw_only=True):
    id: str
    channel_type: str
    config: PipedreamConfig

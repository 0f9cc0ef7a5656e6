"""The four integration families of an agent, their tools, and how to configure them.

``bimpeai``: built-in apps (Bumpa, Google Calendar and Sheets, Paystack, Stripe);
``custom_api``: the team's own HTTP API, described as tools; ``mcp_server``: tools
discovered from an MCP server; ``pipedream``: apps connected through Pipedream.

As everywhere in ``models``, only ids are required and enumerations are plain ``str``
on responses (a new value never breaks decoding); the known values are the
``Literal`` types used by the request bodies below.
"""

from typing import Any, Literal

from typing_extensions import Required, TypedDict

from .base import Model

BimpeaiIntegrationType = Literal["bumpa", "google_calendar", "google_sheets", "paystack", "stripe"]
AuthType = Literal["none", "bearer", "basic", "api_key", "custom"]
McpTransport = Literal["http_sse", "streamable_http"]
ToolHttpMethod = Literal["GET", "POST", "PUT", "DELETE", "PATCH"]
ParameterType = Literal["string", "number", "integer", "boolean", "array", "object"]


class BimpeaiIntegration(Model, frozen=True):
    """A built-in app: ``type`` is bumpa, google_calendar, google_sheets, paystack or
    stripe. ``id`` is ``None`` while the agent has not configured the app."""

    id: str | None = None
    type: str | None = None
    name: str | None = None
    status: str | None = None
    is_connected: bool = False


class OnboardingUrl(Model, frozen=True):
    """Where the user finishes connecting an app (``bimpeai`` / ``pipedream`` configure)."""

    onboarding_url: str | None = None


class IntegrationTool(Model, frozen=True):
    """A tool of a ``custom_api`` or ``mcp_server`` integration: one action the agent can take."""

    id: str
    action_name: str | None = None
    name: str | None = None
    category: str | None = None
    description: str | None = None
    is_enabled: bool = False


class CustomApiConfig(Model, frozen=True):
    """How a custom API is reached; ``auth_type``: none, bearer, basic, api_key or custom."""

    name: str | None = None
    base_url: str | None = None
    auth_type: str | None = None


class CustomApiIntegration(Model, frozen=True):
    """The team's own HTTP API connected to an agent; its tools describe the endpoints."""

    id: str
    config: CustomApiConfig | None = None


class McpServerConfig(Model, frozen=True):
    """How an MCP server is reached; ``transport``: http_sse or streamable_http."""

    name: str | None = None
    server_url: str | None = None
    transport: str | None = None
    auth_type: str | None = None


class McpServerIntegration(Model, frozen=True):
    """An MCP server connected to an agent; ``discover`` turns its tools into actions."""

    id: str
    config: McpServerConfig | None = None


class McpServerTestResult(Model, frozen=True):
    """Whether the MCP server answered, and how many tools it offers."""

    success: bool = False
    message: str | None = None
    error: str | None = None
    tools_count: int | None = None


class McpServerDiscoverResult(Model, frozen=True):
    """How many of the server's tools ``discover`` found, and what it did with them."""

    discovered: int | None = None
    created: int | None = None
    updated: int | None = None
    disabled: int | None = None


class PipedreamConfig(Model, frozen=True):
    """The Pipedream app and the MCP server that exposes it."""

    app_slug: str | None = None
    server_url: str | None = None
    app_name: str | None = None
    app_icon: str | None = None


class PipedreamIntegration(Model, frozen=True):
    """An app connected through Pipedream."""

    id: str
    channel_type: str | None = None
    config: PipedreamConfig | None = None


class AuthConfigParam(TypedDict, total=False):
    """Credentials for ``auth_type``: ``token`` (bearer), ``username`` / ``password``
    (basic), ``api_key`` sent in ``header_name`` (api_key)."""

    token: str
    api_key: str
    header_name: str
    username: str
    password: str


class BimpeaiConfigureParams(TypedDict, total=False):
    """Which built-in app to connect, with the keys it needs (e.g. Paystack's
    ``secret_key``)."""

    type: Required[BimpeaiIntegrationType]
    token: str
    public_key: str
    secret_key: str
    currency: str


class CustomApiConfigureParams(TypedDict, total=False):
    """A custom API: its ``name``, where it lives and how to authenticate."""

    name: Required[str]
    description: str
    base_url: str
    test_endpoint: str
    auth_type: AuthType
    auth_config: AuthConfigParam


class McpServerConfigureParams(TypedDict, total=False):
    """An MCP server: its ``name`` and ``server_url``, transport and authentication."""

    name: Required[str]
    server_url: Required[str]
    transport: McpTransport
    auth_type: AuthType
    auth_config: AuthConfigParam


class PipedreamConfigureParams(TypedDict, total=False):
    """A Pipedream app, by slug (``app_name`` / ``app_icon`` are for display)."""

    app_slug: Required[str]
    app_name: str
    app_icon: str


class ToolParameterParam(TypedDict, total=False):
    """One parameter of a tool: ``items`` describes array elements, ``properties``
    the fields of an object."""

    name: Required[str]
    description: Required[str]
    type: Required[ParameterType]
    required: bool
    items: "ToolParameterParam"
    properties: dict[str, Any]


class ResponseMappingParam(TypedDict, total=False):
    """Where the result sits in the API's response, and what to tell the user."""

    path: str
    success_message: str
    error_message: str


class CreateToolParams(TypedDict, total=False):
    """A tool of a custom API: the request it makes (``url_template`` with
    ``{param}`` placeholders) and the parameters the agent fills in."""

    name: Required[str]
    url_template: Required[str]
    http_method: Required[ToolHttpMethod]
    description: str
    category: str
    url_params: list[ToolParameterParam]
    body_params: list[ToolParameterParam]
    headers_template: dict[str, Any]
    body_template: dict[str, Any]
    auth_type: AuthType
    auth_config: dict[str, Any]
    response_mapping: ResponseMappingParam
    require_human_approval: bool
    timeout: int

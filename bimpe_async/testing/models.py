"""The JSON shapes the emulator sends, written out independently of the client's models.

Keeping a separate copy here is deliberate: if the client misreads a field, the
emulator must not share the mistake. Nullable fields default to ``None`` so they are
always present on the wire as ``null``, as the real API sends them.
"""

from __future__ import annotations

from typing import Any

import msgspec

AGENT_STATUSES = ("development", "live", "paused")
CHANNEL_TYPES = (
    "whatsapp",
    "messenger",
    "instagram",
    "webchat",
    "telephony",
    "test_whatsapp",
    "test_messenger",
    "test_instagram",
    "test_webchat",
    "test_telephony",
)
KNOWLEDGE_BASE_TYPES = ("text", "url")
VISIBILITIES = ("private", "public")


class Rule(msgspec.Struct, kw_only=True):
    id: str
    name: str
    trigger: str
    condition: str | None = None
    response: str
    action: str | None = None
    enabled: bool = True


class ConfigField(msgspec.Struct, kw_only=True):
    key: str
    label: str
    type: str
    required: bool


class IntegrationAction(msgspec.Struct, kw_only=True):
    action_name: str
    name: str
    description: str | None = None
    category: str
    is_enabled: bool
    require_human_approval: bool


class Integration(msgspec.Struct, kw_only=True):
    id: str
    type: str
    status: str
    is_connected: bool
    config_fields: list[ConfigField]
    actions: list[IntegrationAction]


class Channel(msgspec.Struct, kw_only=True):
    id: str
    type: str
    status: str
    is_connected: bool


class ConversationFlow(msgspec.Struct, kw_only=True):
    name: str
    description: str | None = None
    category: str | None = None
    priority: int
    is_active: bool


class AgentAction(msgspec.Struct, kw_only=True):
    id: str
    integration_type: str
    integration_name: str
    name: str
    action_name: str
    description: str | None = None
    is_enabled: bool


class KnowledgeBase(msgspec.Struct, kw_only=True):
    id: str
    type: str
    name: str
    description: str | None = None
    url: str | None = None
    content: str | None = None


class Agent(msgspec.Struct, kw_only=True):
    id: str
    name: str
    description: str | None = None
    system_prompt: str | None = None
    language: str | None = None
    persona: str | None = None
    agent_workflow_id: str | None = None
    rules: list[Rule] | None = None
    timezone: str | None = None
    logo: str | None = None
    business_name: str | None = None
    business_address: str | None = None
    business_email: str | None = None
    business_description: str | None = None
    test_channel_code: str | None = None
    status: str = "development"
    status_reason: str | None = None
    escalation_email: str | None = None
    created_at: str
    updated_at: str


class AgentSetup(msgspec.Struct, kw_only=True):
    """The parts of an agent that only its detail view and sub-lists show."""

    integrations: list[Integration] = msgspec.field(default_factory=list)
    channels: list[Channel] = msgspec.field(default_factory=list)
    conversation_flows: list[ConversationFlow] = msgspec.field(default_factory=list)
    actions: list[AgentAction] = msgspec.field(default_factory=list)


class AgentDetail(Agent, kw_only=True):
    integrations: list[Integration]
    channels: list[Channel]
    conversation_flows: list[ConversationFlow]
    actions: list[AgentAction]
    knowledge_bases: list[KnowledgeBase]


class WorkflowSummary(msgspec.Struct, kw_only=True):
    id: str
    name: str
    description: str | None = None
    category: str | None = None
    visibility: str = "private"
    is_owner: bool
    created_at: str
    updated_at: str


class Workflow(WorkflowSummary, kw_only=True):
    """A workflow as stored, seen by its owner; other keys see it with ``is_owner`` false."""

    system_prompt: str | None = None
    rules: list[Rule] = msgspec.field(default_factory=list)
    flows: list[dict[str, Any]] = msgspec.field(default_factory=list)
    tags: list[str] = msgspec.field(default_factory=list)
    prompt_config: dict[str, Any] = msgspec.field(default_factory=dict)


class Conversation(msgspec.Struct, kw_only=True):
    id: str
    channel_type: str
    channel_id: str | None = None
    is_test_channel: bool
    full_name: str | None = None
    email: str | None = None
    phone_number: str | None = None
    channel_username: str | None = None
    is_ai_chat_paused: bool = False
    last_message_at: str | None = None
    last_message_preview: str | None = None
    created_at: str
    updated_at: str


class Attachment(msgspec.Struct, kw_only=True):
    type: str
    url: str


class Message(msgspec.Struct, kw_only=True):
    id: str
    conversation_id: str
    role: str
    message: str | None = None
    message_type: str | None = "text"
    attachments: list[Attachment] | None = None
    created_at: str


class PaginationMeta(msgspec.Struct, kw_only=True):
    total_count: int
    page_count: int
    current_page: int
    limit: int
    has_next_page: bool
    has_previous_page: bool


class StreamTicket(msgspec.Struct, kw_only=True):
    ticket: str
    expires_in: int

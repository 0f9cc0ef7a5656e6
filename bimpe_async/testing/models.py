"""The JSON shapes the emulator sends, written out independently of the client's models.

Keeping a separate copy here is deliberate: if the client misreads a field, the
emulator must not share the mistake. Nullable fields default to ``None`` so they are
always present on the wire as ``null``, as the real API sends them.

The shapes are those of API 0.4.1 (``wire-0.4.md`` section 2). Workflows, integrations
and telephony live in their own ``models_*`` modules.
"""

from __future__ import annotations

from typing import TypeVar

import msgspec

from .models_integrations import AgentChannel, IntegrationSummary
from .models_workflows import Workflow

AGENT_STATUSES = ("development", "live", "paused")
PERSONAS = ("professional", "friendly", "concise")
CHANNEL_FILTERS = (
    "whatsapp",
    "webchat",
    "telephony",
    "test_whatsapp",
    "test_webchat",
    "test_telephony",
)
LEGACY_CHANNEL_FILTERS = ("messenger", "instagram", "test_messenger", "test_instagram")
"""Channel filters of API 0.1.0 that 0.4.1 dropped; accepted only with legacy bodies."""
SEND_CHANNEL_TYPES = ("whatsapp", "webchat", "telephony")
MESSAGE_ROLES = ("user", "assistant")
KNOWLEDGE_BASE_TYPES = ("text", "url")


class ConversationFlow(msgspec.Struct, kw_only=True):
    """Served only on the 0.1.0 path ``GET /agents/{id}/conversation_flows``."""

    name: str
    description: str | None = None
    category: str | None = None
    priority: int
    is_active: bool


class KnowledgeBaseSummary(msgspec.Struct, kw_only=True):
    id: str
    type: str
    name: str
    description: str | None = None


class KnowledgeBase(KnowledgeBaseSummary, kw_only=True):
    """A knowledge base as listed, created and updated (an agent's detail has summaries)."""

    url: str | None = None
    content: str | None = None


class Agent(msgspec.Struct, kw_only=True):
    id: str
    name: str
    description: str = ""
    language: str | None = None
    persona: str | None = None
    workflow_id: str | None = None
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
    """The parts of an agent kept beside it: its channels and its 0.1.0-era flows."""

    channels: list[AgentChannel] = msgspec.field(default_factory=list)
    conversation_flows: list[ConversationFlow] = msgspec.field(default_factory=list)


class AgentDetail(Agent, kw_only=True):
    knowledge_bases: list[KnowledgeBaseSummary]
    integrations: list[IntegrationSummary]
    channels: list[AgentChannel]


class AgentCreateResponse(Agent, kw_only=True):
    """A new agent, with the workflow it was made from (``None`` without one)."""

    workflow: Workflow | None = None


class AgentLiveStatus(msgspec.Struct, kw_only=True):
    status: str
    status_reason: str | None = None


class WhatsappTestChannel(msgspec.Struct, kw_only=True):
    is_enabled: bool
    start_message: str
    phone_number: str | None = None
    url: str | None = None


class InstagramTestChannel(msgspec.Struct, kw_only=True):
    is_enabled: bool
    start_message: str
    username: str | None = None
    url: str | None = None


class MessengerTestChannel(msgspec.Struct, kw_only=True):
    is_enabled: bool
    start_message: str
    page: str | None = None
    url: str | None = None


class TelephonyTestChannel(msgspec.Struct, kw_only=True):
    is_enabled: bool


class AgentTestChannels(msgspec.Struct, kw_only=True):
    whatsapp: WhatsappTestChannel
    instagram: InstagramTestChannel
    messenger: MessengerTestChannel
    telephony: TelephonyTestChannel


class AgentTestCode(msgspec.Struct, kw_only=True):
    """How to talk to an agent before it is live: a code to send on a shared test line."""

    code: str
    channels: AgentTestChannels


class BulkActionUpdate(msgspec.Struct, kw_only=True):
    updated_count: int


class Conversation(msgspec.Struct, kw_only=True):
    """A conversation as listed."""

    id: str
    channel_type: str
    channel_id: str | None = None
    channel_user_id: str | None = None
    channel_user_username: str | None = None
    is_test_channel: bool
    is_ai_chat_paused: bool = False
    needs_attention: bool = False
    last_message_at: str | None = None
    last_message_preview: str | None = None
    last_seen: str | None = None
    created_at: str
    updated_at: str


class ConversationDetail(Conversation, kw_only=True):
    """A conversation as retrieved (and as stored): the list view plus the contact."""

    full_name: str | None = None
    email: str | None = None
    phone_number: str | None = None
    profile_picture: str | None = None


class ConversationAiStatus(msgspec.Struct, kw_only=True):
    is_ai_chat_paused: bool


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


S = TypeVar("S", bound=msgspec.Struct)


def view(model: type[S], item: msgspec.Struct) -> S:
    """``item`` cut down to the fields of ``model``, e.g. a stored detail as a list entry."""
    return model(**{name: getattr(item, name) for name in model.__struct_fields__})

"""Conversations, their messages, and the live message stream's values."""

from typing import Literal

from typing_extensions import NotRequired, Required, TypedDict

from .base import Model

Channel = Literal[
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
]


class Conversation(Model, frozen=True):
    """A conversation of an agent with one contact on one channel."""

    id: str
    channel_type: str
    created_at: str
    updated_at: str
    channel_id: str | None = None
    is_test_channel: bool = False
    full_name: str | None = None
    email: str | None = None
    phone_number: str | None = None
    channel_username: str | None = None
    is_ai_chat_paused: bool = False
    last_message_at: str | None = None
    last_message_preview: str | None = None


class MessageAttachment(Model, frozen=True):
    """A file sent with a message; ``type`` is e.g. ``image``, ``audio`` or ``file``."""

    type: str
    url: str


class Message(Model, frozen=True):
    """One message. ``role`` is ``user``, ``assistant``, ``restaurant_user`` or ``customer``."""

    id: str
    role: str
    created_at: str
    message: str | None = None
    message_type: str | None = None
    conversation_id: str | None = None
    attachments: list[MessageAttachment] | None = None


class StreamTicket(Model, frozen=True):
    """A single-use credential for one stream connection, valid ``expires_in`` seconds."""

    ticket: str
    expires_in: int

    def __repr__(self) -> str:
        # The ticket is a credential: it never appears in reprs or logs.
        return f"StreamTicket(ticket='***', expires_in={self.expires_in})"


class StreamMessageEvent(Model, frozen=True):
    """A message delivered by the live stream."""

    id: str
    conversation_id: str
    role: str
    created_at: str
    message: str | None = None
    message_type: str | None = None
    attachments: list[MessageAttachment] | None = None


class AttachmentParam(TypedDict):
    type: str
    url: str


class SendMessageParams(TypedDict, total=False):
    """A message to send: ``message`` is required, ``attachments`` optional."""

    message: Required[str]
    attachments: NotRequired[list[AttachmentParam]]

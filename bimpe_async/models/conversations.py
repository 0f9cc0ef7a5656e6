"""Conversations, their messages, and the live message stream's values."""

from typing import Literal

import msgspec
from typing_extensions import Required, TypedDict

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
    """A conversation of an agent with one contact on one channel.

    ``full_name``, ``email``, ``phone_number`` and ``channel_username`` are what 0.1.0
    listed; the current API gives the contact's details on ``ConversationDetail``.
    """

    id: str
    channel_type: str
    created_at: str
    updated_at: str
    is_test_channel: bool = False
    is_ai_chat_paused: bool = False
    needs_attention: bool = False
    channel_id: str | None = None
    channel_user_id: str | None = None
    channel_user_username: str | None = None
    last_message_at: str | None = None
    last_seen: str | None = None
    last_message_preview: str | None = None
    full_name: str | None = None
    email: str | None = None
    phone_number: str | None = None
    channel_username: str | None = None


class ConversationDetail(Conversation, frozen=True):
    """A conversation with its contact's profile, as ``conversations.retrieve`` gives it."""

    profile_picture: str | None = None


class ConversationAiStatus(Model, frozen=True):
    """Whether the AI answers in a conversation, after ``set_ai_status``."""

    is_ai_chat_paused: bool | None = None


class MessageAttachment(Model, frozen=True):
    """A file sent with a message, as on the wire; ``content`` gives the typed view."""

    type: str
    url: str


class TextContent(msgspec.Struct, frozen=True, tag="text"):
    text: str


class ImageContent(msgspec.Struct, frozen=True, tag="image"):
    url: str


class AudioContent(msgspec.Struct, frozen=True, tag="audio"):
    url: str


class FileContent(msgspec.Struct, frozen=True, tag="file"):
    url: str


class OtherContent(msgspec.Struct, frozen=True, tag="other"):
    """An attachment type this SDK does not know yet; ``kind`` is the server's type."""

    kind: str
    url: str


Content = TextContent | ImageContent | AudioContent | FileContent | OtherContent
"""One part of a message, a tagged union: ``match part: case ImageContent(url=url): ...``."""

_ATTACHMENT_CONTENT: dict[str, type[ImageContent | AudioContent | FileContent]] = {
    "image": ImageContent,
    "audio": AudioContent,
    "file": FileContent,
}


def message_content(text: str | None, attachments: list[MessageAttachment] | None) -> list[Content]:
    """The typed parts of a message: its text first, then each attachment.

    Built on demand rather than at decode time, so plain-text traffic pays nothing;
    an attachment type added by the server later becomes ``OtherContent``, never an
    error.
    """
    parts: list[Content] = [TextContent(text)] if text else []
    for attachment in attachments or ():
        known = _ATTACHMENT_CONTENT.get(attachment.type)
        parts.append(
            known(attachment.url) if known else OtherContent(attachment.type, attachment.url)
        )
    return parts


class Message(Model, frozen=True):
    """One message. ``role`` is ``user``, ``assistant``, ``restaurant_user`` or ``customer``."""

    id: str
    role: str
    created_at: str
    message: str | None = None
    message_type: str | None = None
    conversation_id: str | None = None
    attachments: list[MessageAttachment] | None = None

    @property
    def content(self) -> list[Content]:
        """Text and attachments as typed parts (see ``Content``)."""
        return message_content(self.message, self.attachments)


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

    @property
    def content(self) -> list[Content]:
        """Text and attachments as typed parts (see ``Content``)."""
        return message_content(self.message, self.attachments)


class StreamHeartbeatEvent(Model, frozen=True):
    """A keep-alive of the live stream (consumed by the reader, never yielded)."""

    ts: int


class AttachmentParam(TypedDict):
    type: str
    url: str


Role = Literal["user", "assistant"]


class SendMessageParams(TypedDict, total=False):
    """A message to send: ``message`` is required; ``role`` is user or assistant.
    ``attachments`` is 0.1.0's field, passed through as given."""

    message: Required[str]
    role: Role
    attachments: list[AttachmentParam]


class StartConversationParams(TypedDict, total=False):
    """A message that starts a conversation or adds to one: addressed by
    ``conversation_id``, or by ``channel_type`` plus the contact's channel address."""

    message: Required[str]
    conversation_id: str
    channel_user_id: str
    channel_username: str
    role: Role
    channel_type: Literal["whatsapp", "webchat", "telephony"]
    is_test_channel: bool


class SetAiStatusParams(TypedDict):
    is_ai_chat_paused: bool

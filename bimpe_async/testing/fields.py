"""What the agent and conversation write endpoints accept: bodies turned into fields.

Every function returns only the fields the body actually set (so the same code serves
create and partial update) and raises one validation error listing every problem.
Unknown fields are ignored, as the real API does. ``legacy`` is
``Quirks.legacy_bodies``: it relaxes the 0.4.1 rules to 0.1.0's (see ``quirks.py``).
Workflows, integrations and telephony have ``fields_*`` modules of their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from .models import (
    AGENT_STATUSES,
    KNOWLEDGE_BASE_TYPES,
    MESSAGE_ROLES,
    PERSONAS,
    SEND_CHANNEL_TYPES,
    Attachment,
)
from .validation import BodyReader, Problems

AGENT_TEXT_FIELDS = (
    "language",
    "timezone",
    "logo",
    "business_name",
    "business_address",
    "business_email",
    "business_description",
    "escalation_email",
)
LEGACY_WORKFLOW_KEY = "agent_workflow_id"


def url(reader: BodyReader, name: str, *, required: bool) -> str | None:
    value = reader.text(name, required=required, nullable=False)
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        reader.problems.add(reader.prefix + name, "must be an http(s) URL")
        return None
    return value


def agent_fields(body: Mapping[str, Any], *, creating: bool, legacy: bool) -> dict[str, Any]:
    """An agent's fields; ``agent_workflow_id`` (0.1.0's name) is read as ``workflow_id``."""
    problems = Problems()
    reader = BodyReader(body, problems)
    fields: dict[str, Any] = {}
    strict_create = creating and not legacy
    key = "workflow_id"
    if LEGACY_WORKFLOW_KEY in body and key not in body:
        key = LEGACY_WORKFLOW_KEY
    if strict_create or reader.has(key):
        fields["workflow_id"] = reader.text(
            key, required=strict_create, nullable=False, non_empty=True
        )
    if creating or reader.has("name"):
        fields["name"] = reader.text("name", required=True, non_empty=True)
    if strict_create or reader.has("description"):
        fields["description"] = reader.text("description", required=strict_create, nullable=False)
    for name in AGENT_TEXT_FIELDS:
        if reader.has(name):
            fields[name] = reader.text(name, nullable=False)
    if reader.has("persona"):
        fields["persona"] = reader.choice("persona", PERSONAS)
    if legacy and not creating and reader.has("status"):
        fields["status"] = reader.choice("status", AGENT_STATUSES)
    problems.raise_if_any()
    return fields


def live_status_fields(body: Mapping[str, Any]) -> tuple[str, str | None]:
    problems = Problems()
    reader = BodyReader(body, problems)
    status = reader.choice("status", AGENT_STATUSES, required=True)
    reason = reader.text("status_reason")
    problems.raise_if_any()
    return status or "", reason


def action_ids(body: Mapping[str, Any]) -> list[str]:
    problems = Problems()
    ids = BodyReader(body, problems).strings("action_ids", required=True)
    if ids == []:
        problems.add("action_ids", "must not be empty")
    problems.raise_if_any()
    return ids or []


def new_knowledge_base_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    """A text base needs ``content``, a url base needs ``url``."""
    problems = Problems()
    reader = BodyReader(body, problems)
    kind = reader.choice("type", KNOWLEDGE_BASE_TYPES, required=True)
    fields: dict[str, Any] = {
        "type": kind,
        "name": reader.text("name", required=True, non_empty=True),
        "description": reader.text("description"),
    }
    if kind == "text":
        fields["content"] = reader.text("content", required=True)
    elif kind == "url":
        fields["url"] = url(reader, "url", required=True)
    problems.raise_if_any()
    return fields


def knowledge_base_changes(body: Mapping[str, Any]) -> dict[str, Any]:
    problems = Problems()
    reader = BodyReader(body, problems)
    fields: dict[str, Any] = {}
    if reader.has("name"):
        fields["name"] = reader.text("name", required=True, non_empty=True)
    if reader.has("description"):
        fields["description"] = reader.text("description")
    if reader.has("content"):
        fields["content"] = reader.text("content")
    if reader.has("url"):
        fields["url"] = None if body["url"] is None else url(reader, "url", required=False)
    problems.raise_if_any()
    return fields


def _attachments(reader: BodyReader) -> list[Attachment] | None:
    items = reader.objects("attachments")
    if items is None:
        return None
    attachments = []
    for index, item in enumerate(items):
        attachment = reader.item("attachments", index, item)
        kind = attachment.text("type", required=True, non_empty=True)
        link = url(attachment, "url", required=True)
        if kind is not None and link is not None:
            attachments.append(Attachment(type=kind, url=link))
    return attachments


def message_fields(body: Mapping[str, Any]) -> tuple[str, str, list[Attachment] | None]:
    """The text, role (``user`` unless given) and attachments of a message to send."""
    problems = Problems()
    reader = BodyReader(body, problems)
    text = reader.text("message", required=True)
    role = reader.choice("role", MESSAGE_ROLES)
    attachments = _attachments(reader)
    problems.raise_if_any()
    return text or "", role or "user", attachments


def send_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    """``POST .../conversations/messages``: a message plus where it goes.

    The conversation is named by ``conversation_id``, or by ``channel_type`` (default
    ``webchat``) and ``channel_user_id``; with neither, a new conversation starts.
    """
    problems = Problems()
    reader = BodyReader(body, problems)
    fields = {
        "conversation_id": reader.text("conversation_id", nullable=False, non_empty=True),
        "channel_user_id": reader.text("channel_user_id", nullable=False, non_empty=True),
        "channel_username": reader.text("channel_username", nullable=False),
        "channel_type": reader.choice("channel_type", SEND_CHANNEL_TYPES) or "webchat",
        "is_test_channel": bool(reader.flag("is_test_channel")),
    }
    text = reader.text("message", required=True)
    role = reader.choice("role", MESSAGE_ROLES)
    attachments = _attachments(reader)
    problems.raise_if_any()
    return {**fields, "message": text or "", "role": role or "user", "attachments": attachments}

"""What each write endpoint accepts: request bodies turned into checked resource fields.

Every function returns only the fields the body actually set (so the same code serves
create and partial update) and raises one validation error listing every problem.
Unknown fields are ignored, as the real API does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from .models import AGENT_STATUSES, KNOWLEDGE_BASE_TYPES, VISIBILITIES, Attachment, Rule
from .validation import BodyReader, Problems

NewId = Callable[[str], str]

AGENT_TEXT_FIELDS = (
    "description",
    "system_prompt",
    "language",
    "persona",
    "agent_workflow_id",
    "timezone",
    "logo",
    "business_name",
    "business_address",
    "business_email",
    "business_description",
    "test_channel_code",
    "status_reason",
    "escalation_email",
)
WORKFLOW_TEXT_FIELDS = ("description", "category", "system_prompt")


def _rules(reader: BodyReader, name: str, new_id: NewId) -> list[Rule] | None:
    items = reader.objects(name)
    if items is None:
        return None
    rules = []
    for index, item in enumerate(items):
        rule = reader.item(name, index, item)
        rule_id = rule.text("id")
        rule_name = rule.text("name", required=True, non_empty=True)
        trigger = rule.text("trigger", required=True)
        response = rule.text("response", required=True)
        condition = rule.text("condition")
        action = rule.text("action")
        enabled = rule.flag("enabled")
        if rule_name is None or trigger is None or response is None:
            continue
        rules.append(
            Rule(
                id=rule_id or new_id("rule"),
                name=rule_name,
                trigger=trigger,
                condition=condition,
                response=response,
                action=action,
                enabled=True if enabled is None else enabled,
            )
        )
    return rules


def _url(reader: BodyReader, name: str, *, required: bool) -> str | None:
    url = reader.text(name, required=required, nullable=False)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        reader.problems.add(reader.prefix + name, "must be an http(s) URL")
        return None
    return url


def agent_fields(body: Mapping[str, Any], new_id: NewId, *, creating: bool) -> dict[str, Any]:
    problems = Problems()
    reader = BodyReader(body, problems)
    fields: dict[str, Any] = {}
    if creating or reader.has("name"):
        fields["name"] = reader.text("name", required=True, non_empty=True)
    for name in AGENT_TEXT_FIELDS:
        if reader.has(name):
            fields[name] = reader.text(name)
    if reader.has("status"):
        fields["status"] = reader.choice("status", AGENT_STATUSES)
    if reader.has("rules"):
        fields["rules"] = _rules(reader, "rules", new_id)
    problems.raise_if_any()
    return fields


def workflow_fields(body: Mapping[str, Any], new_id: NewId, *, creating: bool) -> dict[str, Any]:
    problems = Problems()
    reader = BodyReader(body, problems)
    fields: dict[str, Any] = {}
    if creating or reader.has("name"):
        fields["name"] = reader.text("name", required=True, non_empty=True)
    for name in WORKFLOW_TEXT_FIELDS:
        if reader.has(name):
            fields[name] = reader.text(name)
    if reader.has("visibility"):
        fields["visibility"] = reader.choice("visibility", VISIBILITIES)
    if reader.has("rules"):
        fields["rules"] = _rules(reader, "rules", new_id) or []
    if reader.has("flows"):
        fields["flows"] = reader.objects("flows") or []
    if reader.has("tags"):
        fields["tags"] = reader.strings("tags") or []
    if reader.has("prompt_config"):
        fields["prompt_config"] = reader.mapping("prompt_config") or {}
    problems.raise_if_any()
    return fields


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
        fields["url"] = _url(reader, "url", required=True)
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
        fields["content"] = reader.text("content", nullable=False)
    if reader.has("url"):
        fields["url"] = _url(reader, "url", required=False)
    problems.raise_if_any()
    return fields


def message_fields(body: Mapping[str, Any]) -> tuple[str, list[Attachment] | None]:
    """The text and optional attachments of a message sent into a conversation."""
    problems = Problems()
    reader = BodyReader(body, problems)
    text = reader.text("message", required=True)
    attachments = None
    items = reader.objects("attachments")
    if items is not None:
        attachments = []
        for index, item in enumerate(items):
            attachment = reader.item("attachments", index, item)
            kind = attachment.text("type", required=True, non_empty=True)
            url = _url(attachment, "url", required=True)
            if kind is not None and url is not None:
                attachments.append(Attachment(type=kind, url=url))
    problems.raise_if_any()
    return text or "", attachments

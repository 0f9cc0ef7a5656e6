"""Workflows as the API sends them: the blueprint an agent is made from.

``rules``, ``flows`` and ``faq`` may hold ``[]`` placeholders next to real items, and
``setup_steps`` items are not checked at all, because the real server sends such
lists (see ``quirks.py``); their item types say so.
"""

from __future__ import annotations

from typing import Any

import msgspec

VISIBILITIES = ("private", "public")
KEYWORD_WEIGHTS = ("high", "medium", "low")

Placeholder = list[Any]
"""The ``[]`` the real server leaves inside some workflow lists."""


class Rule(msgspec.Struct, kw_only=True):
    id: str
    name: str
    trigger: str
    condition: str | None = None
    response: str
    action: str | None = None
    enabled: bool = True


class TriggerKeyword(msgspec.Struct, kw_only=True):
    keyword: str
    weight: str | None = None


class ConversationStep(msgspec.Struct, kw_only=True):
    type: str
    content: str | None = None
    action: str | None = None
    followup: str | None = None


class Flow(msgspec.Struct, kw_only=True):
    name: str
    description: str | None = None
    category: str | None = None
    priority: int | None = None
    is_active: bool | None = None
    trigger_keywords: list[TriggerKeyword] | None = None
    conversation_steps: list[ConversationStep] | None = None


class Guide(msgspec.Struct, kw_only=True):
    steps: list[str] = msgspec.field(default_factory=list)
    youtube_url: str | None = None


class FaqItem(msgspec.Struct, kw_only=True):
    question: str
    answer: str


class Workflow(msgspec.Struct, kw_only=True):
    """A workflow as stored, seen by its owner; other keys see it with ``is_owner`` false."""

    id: str
    name: str
    description: str | None = None
    category: str | None = None
    visibility: str = "private"
    is_owner: bool
    system_prompt: str | None = None
    video_url: str | None = None
    setup_time: int | None = None
    tags: list[str] | None = msgspec.field(default_factory=list)
    integrations: list[str] | None = None
    channels: list[str] | None = None
    actions: list[str] | None = None
    guide: Guide | None = None
    faq: list[FaqItem | Placeholder] | None = None
    rules: list[Rule | Placeholder] = msgspec.field(default_factory=list)
    flows: list[Flow | Placeholder] = msgspec.field(default_factory=list)
    setup_steps: list[Any] = msgspec.field(default_factory=list)
    created_at: str
    updated_at: str

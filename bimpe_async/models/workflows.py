"""Workflows: reusable agent blueprints (prompt, rules, flows, guide, FAQ).

The server pads some lists with ``[]`` placeholders (``rules: [[], {...}]``). Those
fields are decoded as sent (``rules_as_sent``) and read through a property that
drops every item that is not an object, so ``workflow.rules`` is always a list of
``Rule``; ``null`` reads as an empty list.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Literal

from msgspec import field
from typing_extensions import Required, TypedDict

from .base import Model

Placeholder = list[Any] | str | int | float | bool | None
"""A non-object item the server leaves in an object list; dropped on read."""


class Rule(Model, frozen=True):
    """A behaviour rule: when ``trigger`` (and ``condition``) holds, answer ``response``."""

    id: str
    name: str | None = None
    trigger: str | None = None
    condition: str | None = None
    response: str | None = None
    action: str | None = None
    enabled: bool | None = None


class TriggerKeyword(Model, frozen=True):
    """A keyword that starts a flow; ``weight`` is high, medium or low."""

    keyword: str | None = None
    weight: str | None = None


class ConversationStep(Model, frozen=True):
    type: str | None = None
    content: str | None = None
    action: str | None = None
    followup: str | None = None


class Flow(Model, frozen=True):
    """A conversation flow of a workflow. Every field is optional: 0.1.0 gave flows as
    free-form objects, and any object still decodes (its fields via ``model_raw``)."""

    name: str | None = None
    description: str | None = None
    category: str | None = None
    priority: int | None = None
    is_active: bool | None = None
    trigger_keywords: list[TriggerKeyword] | None = None
    conversation_steps: list[ConversationStep] | None = None


class Guide(Model, frozen=True):
    steps: list[str] | None = None
    youtube_url: str | None = None


class FaqItem(Model, frozen=True):
    question: str | None = None
    answer: str | None = None


class Workflow(Model, frozen=True):
    """A workflow. ``visibility`` is ``private`` or ``public``.

    Also exported as ``WorkflowDetail`` and ``WorkflowSummary``: lists and single
    reads return the same full model.
    """

    id: str
    name: str
    created_at: str
    updated_at: str
    visibility: str | None = None
    is_owner: bool = False
    description: str | None = None
    category: str | None = None
    system_prompt: str | None = None
    video_url: str | None = None
    setup_time: int | None = None
    tags: list[str] | None = None
    integrations: list[str] | None = None
    channels: list[str] | None = None
    actions: list[str] | None = None
    guide: Guide | None = None
    setup_steps: list[Any] | None = None
    prompt_config: dict[str, Any] | None = None
    rules_as_sent: list[Rule | Placeholder] | None = field(default=None, name="rules")
    flows_as_sent: list[Flow | Placeholder] | None = field(default=None, name="flows")
    faq_as_sent: list[FaqItem | Placeholder] | None = field(default=None, name="faq")

    @cached_property
    def rules(self) -> list[Rule]:
        return [item for item in self.rules_as_sent or () if isinstance(item, Rule)]

    @cached_property
    def flows(self) -> list[Flow]:
        return [item for item in self.flows_as_sent or () if isinstance(item, Flow)]

    @cached_property
    def faq(self) -> list[FaqItem]:
        return [item for item in self.faq_as_sent or () if isinstance(item, FaqItem)]


WorkflowDetail = Workflow
WorkflowSummary = Workflow


class RuleParam(TypedDict, total=False):
    """A rule as sent in a body."""

    id: Required[str]
    name: Required[str]
    trigger: Required[str]
    response: Required[str]
    enabled: Required[bool]
    condition: str | None
    action: str | None


class TriggerKeywordParam(TypedDict, total=False):
    keyword: Required[str]
    weight: Literal["high", "medium", "low"]


class ConversationStepParam(TypedDict, total=False):
    type: Required[str]
    content: str
    action: str
    followup: str


class FlowParam(TypedDict, total=False):
    name: Required[str]
    description: str | None
    category: str | None
    priority: int
    is_active: bool
    trigger_keywords: list[TriggerKeywordParam]
    conversation_steps: list[ConversationStepParam]


class GuideParam(TypedDict, total=False):
    steps: Required[list[str]]
    youtube_url: str


class FaqParam(TypedDict):
    question: str
    answer: str


class _WorkflowFields(TypedDict, total=False):
    description: str
    category: str
    video_url: str
    setup_time: int
    tags: list[str]
    integrations: list[str]
    channels: list[str]
    actions: list[str]
    rules: list[RuleParam]
    flows: list[FlowParam]
    guide: GuideParam
    faq: list[FaqParam]
    setup_steps: list[Any]
    visibility: Literal["private", "public"]
    prompt_config: dict[str, Any]


class CreateWorkflowParams(_WorkflowFields, total=False):
    """A new workflow. The API requires ``name`` and ``system_prompt``; only ``name`` is
    checked here (0.1.0 code that sent no prompt gets the server's answer).
    ``visibility`` and ``prompt_config`` are 0.1.0 fields, passed through."""

    name: Required[str]
    system_prompt: str


class UpdateWorkflowParams(_WorkflowFields, total=False):
    """Fields a workflow update may set (all optional)."""

    name: str
    system_prompt: str


class CloneWorkflowParams(TypedDict):
    source_workflow_id: str

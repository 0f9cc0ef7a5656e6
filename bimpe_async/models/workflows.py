"""Workflows: reusable agent blueprints (prompt, rules, conversation flows)."""

from typing import Any, Literal

from msgspec import field
from typing_extensions import Required, TypedDict

from .agents import Rule, RuleParam
from .base import Model


class WorkflowSummary(Model, frozen=True):
    """A workflow as listed. ``visibility`` is ``private`` or ``public``."""

    id: str
    name: str
    created_at: str
    updated_at: str
    description: str | None = None
    category: str | None = None
    visibility: str = "private"
    is_owner: bool = False


class Flow(Model, frozen=True):
    """A conversation flow of a workflow."""

    name: str
    description: str | None = None
    category: str | None = None
    priority: int | None = None
    is_active: bool | None = None
    trigger_keywords: list[dict[str, Any]] | None = None
    conversation_steps: list[dict[str, Any]] | None = None


class Workflow(WorkflowSummary, frozen=True):
    """A workflow with everything in it."""

    system_prompt: str | None = None
    rules: list[Rule] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    prompt_config: dict[str, Any] = field(default_factory=dict)


class FlowParam(TypedDict, total=False):
    name: Required[str]
    description: str | None
    category: str | None
    priority: int
    is_active: bool
    trigger_keywords: list[dict[str, Any]]
    conversation_steps: list[dict[str, Any]]


class _WorkflowFields(TypedDict, total=False):
    description: str | None
    category: str | None
    visibility: Literal["private", "public"]
    system_prompt: str | None
    rules: list[RuleParam]
    flows: list[FlowParam]
    tags: list[str]
    prompt_config: dict[str, Any]


class CreateWorkflowParams(_WorkflowFields, total=False):
    """A new workflow: only ``name`` is required."""

    name: Required[str]


class UpdateWorkflowParams(_WorkflowFields, total=False):
    """Fields a workflow update may set (all optional)."""

    name: str

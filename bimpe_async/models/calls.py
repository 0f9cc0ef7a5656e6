"""Calls made by an agent (telephony), and how to start one."""

from typing import Literal

from msgspec import field
from typing_extensions import TypedDict

from .base import Model
from .conversations import Message

CallStatus = Literal["queued", "ringing", "answered", "ended", "busy", "failed", "cancelled"]


class Call(Model, frozen=True):
    """A phone call of an agent. ``status``: queued, ringing, answered, ended, busy,
    failed or cancelled. Calls carry ``created_on`` (not ``created_at``)."""

    id: str
    destination: str | None = None
    direction: str | None = None
    status: str | None = None
    is_test_call: bool = False
    created_on: str | None = None
    source: str | None = None
    error_reason: str | None = None
    end_reason: str | None = None
    ringing_at: str | None = None
    ended_at: str | None = None
    duration_seconds: int | None = None
    agent_id: str | None = None
    created_at: str | None = None


class CallDetail(Call, frozen=True):
    """A call with its timeline and what was said."""

    started_at: str | None = None
    answered_at: str | None = None
    conversation_logs: list[Message] = field(default_factory=list)


class MakeCallResult(Model, frozen=True):
    """The outcome of dialling: ``status`` is initiated, busy or failed."""

    status: str
    call_id: str | None = None
    detail: str | None = None


class MakeCallParams(TypedDict):
    """Whom to call; a test call rings the caller's own test line."""

    destination: str
    is_test_call: bool

"""Calls an agent makes or takes, the team's phone numbers, and requests for new ones.

Calls are stamped ``created_on`` (not ``created_at``), as the API sends them.
"""

from __future__ import annotations

import msgspec

CALL_STATUSES = ("queued", "ringing", "answered", "ended", "busy", "failed", "cancelled")
REGIONS = ("us", "uk", "eu", "ng")


class Call(msgspec.Struct, kw_only=True):
    """A call as listed."""

    id: str
    destination: str
    direction: str
    status: str
    is_test_call: bool
    source: str | None = None
    error_reason: str | None = None
    end_reason: str | None = None
    ringing_at: str | None = None
    ended_at: str | None = None
    duration_seconds: int | None = None
    created_on: str


class CallLogEntry(msgspec.Struct, kw_only=True):
    """One turn of a call's transcript, shaped like a message."""

    id: str
    role: str
    message: str | None = None
    message_type: str | None = "text"
    attachments: None = None
    created_at: str


class CallDetail(Call, kw_only=True):
    """A call as retrieved (and as stored), with its transcript."""

    started_at: str | None = None
    answered_at: str | None = None
    conversation_logs: list[CallLogEntry] = msgspec.field(default_factory=list)


class MakeCallResult(msgspec.Struct, kw_only=True):
    status: str
    call_id: str | None = None
    detail: str | None = None


class PhoneNumber(msgspec.Struct, kw_only=True):
    """A number as listed."""

    id: str
    e164: str
    agent_id: str | None = None
    label: str | None = None


class PhoneNumberDetail(PhoneNumber, kw_only=True):
    """A number as retrieved (and as stored)."""

    inbound_enabled: bool
    created_at: str
    updated_at: str


class PhoneNumberRequest(msgspec.Struct, kw_only=True):
    """A request for a new number; a pending one has no ``e164`` yet."""

    id: str
    status: str | None = None
    business_name: str | None = None
    intended_use: str | None = None
    region: str | None = None
    e164: str | None = None
    agent_id: str | None = None
    label: str | None = None
    agent_count: int | None = None
    outbound_minutes: int | None = None
    created_at: str | None = None
    updated_at: str | None = None

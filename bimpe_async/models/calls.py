"""Calls (telephony). The endpoint exists; the server does not serve it yet (501)."""

from .base import Model


class Call(Model, frozen=True):
    id: str
    status: str | None = None
    direction: str | None = None
    agent_id: str | None = None
    created_at: str | None = None

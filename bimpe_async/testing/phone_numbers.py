"""The team's phone numbers, and its requests for new ones.

A number assigned to an agent takes that agent's inbound calls (``inbound_enabled``)
and is the line its live calls go out on. Assigning a number to an agent that does
not exist is a 404, like any lookup by id. Requests start ``pending`` with no number;
BimpeAI fulfils them (seeded requests show both states).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import msgspec

from .errors import not_found
from .models_telephony import PhoneNumberDetail, PhoneNumberRequest


class PhoneBook:
    def __init__(
        self,
        require_agent: Callable[[str], object],
        new_id: Callable[[str], str],
        now: Callable[[], str],
    ) -> None:
        self._require_agent = require_agent
        self._new_id = new_id
        self._now = now
        self.numbers: dict[str, PhoneNumberDetail] = {}
        self.requests: dict[str, PhoneNumberRequest] = {}

    def add(self, number: PhoneNumberDetail) -> PhoneNumberDetail:
        self.numbers[number.id] = number
        return number

    def number(self, number_id: str) -> PhoneNumberDetail:
        number = self.numbers.get(number_id)
        if number is None:
            raise not_found("Phone number")
        return number

    def update(self, number_id: str, changes: Mapping[str, Any]) -> PhoneNumberDetail:
        """Sets ``label`` and/or ``agent_id`` (``None`` unassigns the number)."""
        number = self.number(number_id)
        if changes.get("agent_id") is not None:
            self._require_agent(changes["agent_id"])
        if "agent_id" in changes:
            changes = {**changes, "inbound_enabled": changes["agent_id"] is not None}
        number = msgspec.structs.replace(number, **changes, updated_at=self._now())
        self.numbers[number_id] = number
        return number

    def line_of(self, agent_id: str) -> str | None:
        """The number an agent's live calls go out on (its lowest, if it has several)."""
        assigned = sorted(n.e164 for n in self.numbers.values() if n.agent_id == agent_id)
        return assigned[0] if assigned else None

    def unassign(self, agent_id: str) -> None:
        for number in list(self.numbers.values()):
            if number.agent_id == agent_id:
                self.numbers[number.id] = msgspec.structs.replace(
                    number, agent_id=None, inbound_enabled=False, updated_at=self._now()
                )

    def add_request(self, request: PhoneNumberRequest) -> PhoneNumberRequest:
        self.requests[request.id] = request
        return request

    def request_number(self, fields: Mapping[str, Any]) -> PhoneNumberRequest:
        """Files a request; ``submitted_by_agent_id`` must name an agent (404 if not)."""
        fields = dict(fields)
        agent_id = fields.pop("submitted_by_agent_id", None)
        if agent_id is not None:
            self._require_agent(agent_id)
        now = self._now()
        return self.add_request(
            PhoneNumberRequest(
                **fields,
                id=self._new_id("pnr"),
                status="pending",
                agent_id=agent_id,
                created_at=now,
                updated_at=now,
            )
        )

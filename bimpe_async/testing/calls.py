"""Each agent's calls: the log the API lists, and dialling a new call.

Dialling is deterministic, so a test can reach every outcome:

- a live call (``is_test_call`` false) goes out on a number assigned to the agent
  (``PATCH /phone-numbers/{id}``); without one nothing is dialled: ``failed``;
- a destination ending in ``0000`` is busy: ``busy``, logged as a busy call;
- anything else is ``initiated``, logged as ``queued`` from the agent's number (a test
  call rings from the console's test line and has no ``source``).
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import not_found
from .models_telephony import CallDetail, MakeCallResult

BUSY_SUFFIX = "0000"


class CallLog:
    def __init__(
        self,
        require_agent: Callable[[str], object],
        new_id: Callable[[str], str],
        now: Callable[[], str],
    ) -> None:
        self._require_agent = require_agent
        self._new_id = new_id
        self._now = now
        self.by_agent: dict[str, dict[str, CallDetail]] = {}

    def add(self, agent_id: str, call: CallDetail) -> CallDetail:
        self.by_agent.setdefault(agent_id, {})[call.id] = call
        return call

    def of(self, agent_id: str) -> list[CallDetail]:
        self._require_agent(agent_id)
        return list(self.by_agent.get(agent_id, {}).values())

    def get(self, agent_id: str, call_id: str) -> CallDetail:
        self._require_agent(agent_id)
        call = self.by_agent.get(agent_id, {}).get(call_id)
        if call is None:
            raise not_found("Call")
        return call

    def forget_agent(self, agent_id: str) -> None:
        self.by_agent.pop(agent_id, None)

    def dial(
        self, agent_id: str, destination: str, *, is_test_call: bool, line: str | None
    ) -> MakeCallResult:
        """Places a call from ``line`` (the agent's number, if it has one)."""
        self._require_agent(agent_id)
        if not is_test_call and line is None:
            detail = "No phone number is assigned to this agent"
            return MakeCallResult(status="failed", detail=detail)
        now = self._now()
        busy = destination.endswith(BUSY_SUFFIX)
        call = CallDetail(
            id=self._new_id("call"),
            destination=destination,
            direction="outbound",
            status="busy" if busy else "queued",
            is_test_call=is_test_call,
            source=None if is_test_call else line,
            end_reason="busy" if busy else None,
            ended_at=now if busy else None,
            duration_seconds=0 if busy else None,
            created_on=now,
        )
        self.add(agent_id, call)
        if busy:
            return MakeCallResult(status="busy", call_id=call.id, detail="The line is busy")
        return MakeCallResult(status="initiated", call_id=call.id, detail="Call queued")

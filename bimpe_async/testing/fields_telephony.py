"""What the call and phone-number write endpoints accept."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .models_telephony import REGIONS
from .validation import BodyReader, Problems

E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def call_fields(body: Mapping[str, Any]) -> tuple[str, bool]:
    """The destination (an E.164 number) and whether it is a test call."""
    problems = Problems()
    reader = BodyReader(body, problems)
    destination = reader.text("destination", required=True)
    if destination is not None and not E164.match(destination):
        problems.add("destination", "must be an E.164 number such as +2348012345678")
    is_test_call = reader.flag("is_test_call", required=True)
    problems.raise_if_any()
    return destination or "", bool(is_test_call)


def phone_number_changes(body: Mapping[str, Any]) -> dict[str, Any]:
    """``agent_id`` (null unassigns) and ``label``; a missing field stays as it is."""
    problems = Problems()
    reader = BodyReader(body, problems)
    changes: dict[str, Any] = {}
    if reader.has("agent_id"):
        changes["agent_id"] = reader.text("agent_id", non_empty=True)
    if reader.has("label"):
        changes["label"] = reader.text("label", nullable=False)
    problems.raise_if_any()
    return changes


def number_request_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    problems = Problems()
    reader = BodyReader(body, problems)
    fields: dict[str, Any] = {
        "business_name": reader.text("business_name", required=True, non_empty=True),
        "intended_use": reader.text("intended_use", required=True, non_empty=True),
        "region": reader.choice("region", REGIONS, required=True),
        "agent_count": reader.integer("agent_count", required=True, minimum=1),
        "outbound_minutes": reader.integer("outbound_minutes", required=True),
    }
    if reader.has("submitted_by_agent_id"):
        fields["submitted_by_agent_id"] = reader.text(
            "submitted_by_agent_id", nullable=False, non_empty=True
        )
    problems.raise_if_any()
    return fields

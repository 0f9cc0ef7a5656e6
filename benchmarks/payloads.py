"""Deterministic, realistic response bodies for the decode and server benchmarks.

Every body is built from fixed data (no randomness, no clock), so two runs decode the
same bytes. Each record satisfies both our models and the peer's (the peer requires
some fields ours treat as optional, such as an agent's ``description``).
"""

from __future__ import annotations

from typing import Any

import msgspec

JSON = dict[str, Any]

STAMP = "2026-11-23T09:00:00.000Z"


def meta(count: int, *, page: int = 1, total: int | None = None) -> JSON:
    """Pagination meta of page ``page`` holding ``count`` items out of ``total``."""
    total = count if total is None else total
    pages = max(1, -(-total // max(count, 1)))
    return {
        "total_count": total,
        "page_count": pages,
        "current_page": page,
        "limit": count,
        "has_next_page": page < pages,
        "has_previous_page": page > 1,
    }


def envelope(data: Any, page_meta: JSON | None = None) -> bytes:
    """A success body: ``{"message": "ok", "data": ..., "meta": ...}``."""
    body: JSON = {"message": "ok", "data": data}
    if page_meta is not None:
        body["meta"] = page_meta
    return msgspec.json.encode(body)


def rule(index: int) -> JSON:
    return {
        "id": f"rule_{index:08x}",
        "name": f"Escalate refund request #{index}",
        "trigger": "customer asks for a refund",
        "condition": "order older than 30 days" if index % 2 else None,
        "response": "I have passed this to a colleague who will email you within a day.",
        "action": "escalate" if index % 3 == 0 else None,
        "enabled": index % 5 != 0,
    }


def agent(index: int) -> JSON:
    """An agent as the list endpoint returns it, with two rules."""
    return {
        "id": f"ag_{index:016x}",
        "name": f"Support bot {index}",
        "description": "Answers customer questions about orders, deliveries and refunds.",
        "system_prompt": "You are a helpful support agent for Acme. Be brief and kind.",
        "language": "en",
        "persona": "friendly",
        "agent_workflow_id": f"wf_{index % 7:016x}",
        "rules": [rule(index * 2), rule(index * 2 + 1)],
        "timezone": "Europe/London",
        "logo": None,
        "business_name": "Acme Ltd",
        "business_address": "1 High Street, London",
        "business_email": "help@acme.test",
        "business_description": "Household goods, delivered next day.",
        "test_channel_code": f"T-{index:06d}",
        "status": ("development", "live", "paused")[index % 3],
        "status_reason": None,
        "escalation_email": "escalations@acme.test",
        "created_at": STAMP,
        "updated_at": STAMP,
    }


def message(index: int, conversation_id: str = "cv_0000000000000001") -> JSON:
    """A conversation message; every tenth one carries an attachment."""
    body: JSON = {
        "id": f"msg_{index:016x}",
        "conversation_id": conversation_id,
        "role": ("user", "assistant")[index % 2],
        "message": f"Message {index}: could you tell me where my order #{40000 + index} is?",
        "message_type": "text",
        "created_at": STAMP,
    }
    if index % 10 == 0:
        body["attachments"] = [{"type": "image", "url": f"https://cdn.acme.test/{index}.png"}]
    return body


def flow(index: int, keywords: int, steps: int) -> JSON:
    return {
        "name": f"Flow {index}: order tracking",
        "description": "Finds the order, reports its status and offers next steps.",
        "category": "orders",
        "priority": index % 5,
        "is_active": True,
        "trigger_keywords": [
            {"keyword": f"where is order {k}", "weight": ("high", "medium", "low")[k % 3]}
            for k in range(keywords)
        ],
        "conversation_steps": [
            {
                "type": "message",
                "content": f"Step {s}: let me look that up for you.",
                "action": "lookup_order" if s % 4 == 0 else None,
                "followup": "Is there anything else I can help with?",
            }
            for s in range(steps)
        ],
    }


def workflow(*, rules: int, flows: int, keywords: int = 10, steps: int = 12) -> JSON:
    """A workflow with many rules and flows: the biggest single object of the API."""
    return {
        "id": "wf_00000000000000aa",
        "name": "Customer support, full playbook",
        "description": "Everything a support agent needs: rules, flows and tone.",
        "category": "support",
        "visibility": "private",
        "is_owner": True,
        "system_prompt": "Follow the support playbook. " * 20,
        "rules": [rule(i) for i in range(rules)],
        "flows": [flow(i, keywords, steps) for i in range(flows)],
        "tags": ["support", "orders", "refunds"],
        "prompt_config": {"temperature": 0.3, "tone": "friendly", "max_reply_words": 80},
        "created_at": STAMP,
        "updated_at": STAMP,
    }


def agents_page(count: int) -> bytes:
    return envelope([agent(i) for i in range(count)], meta(count))


def messages_page(count: int) -> bytes:
    return envelope([message(i) for i in range(count)], meta(count))


def workflow_body(*, rules: int, flows: int) -> bytes:
    return envelope(workflow(rules=rules, flows=flows))

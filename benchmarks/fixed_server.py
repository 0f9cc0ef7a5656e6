"""A minimal server that answers every request with fixed bytes.

Benchmarks measure client cost, so the server must cost as little as possible and run
in its own process: ``python benchmarks/fixed_server.py PORT``.
"""

from __future__ import annotations

import sys

import msgspec
from aiohttp import web

AGENT = {
    "id": "ag_0123456789abcdef",
    "name": "Support bot",
    "description": "Answers customer questions about orders and refunds.",
    "system_prompt": "You are a helpful support agent.",
    "language": "en",
    "persona": "friendly",
    "agent_workflow_id": None,
    "rules": [],
    "timezone": "Europe/London",
    "logo": None,
    "business_name": "Acme",
    "business_address": None,
    "business_email": "help@acme.test",
    "business_description": None,
    "test_channel_code": "T-1234",
    "status": "live",
    "status_reason": None,
    "escalation_email": None,
    "created_at": "2026-11-23T09:00:00.000Z",
    "updated_at": "2026-11-23T09:00:00.000Z",
}


def list_body(count: int) -> bytes:
    meta = {
        "total_count": count,
        "page_count": 1,
        "current_page": 1,
        "limit": count,
        "has_next_page": False,
        "has_previous_page": False,
    }
    items = [{**AGENT, "id": f"ag_{i:016x}"} for i in range(count)]
    return msgspec.json.encode({"message": "ok", "data": items, "meta": meta})


LIST_BODY = list_body(10)
ONE_BODY = msgspec.json.encode({"message": "ok", "data": AGENT})


async def handle(request: web.Request) -> web.Response:
    body = ONE_BODY if request.method == "POST" else LIST_BODY
    return web.Response(body=body, content_type="application/json")


def app() -> web.Application:
    application = web.Application()
    application.router.add_route("*", "/{tail:.*}", handle)
    return application


if __name__ == "__main__":
    web.run_app(app(), host="127.0.0.1", port=int(sys.argv[1]), print=None, access_log=None)

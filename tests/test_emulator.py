"""The emulator on its own, over real loopback HTTP with a plain aiohttp session.

No client code is involved: these tests pin the wire protocol the emulator speaks,
so the client's own tests can trust it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import msgspec
import pytest
from multidict import CIMultiDictProxy
from yarl import URL

from bimpe_async.testing import Emulator, Quirks, RecordedRequest

LEGACY = Quirks(legacy_bodies=True)
"""These tests pin the 0.1.0-era behaviour, bodies included (0.4.1's: test_emulator_api04)."""

PREFIX = "/api/v1/console"
AGENT_FIELDS = {
    "id",
    "name",
    "description",
    "language",
    "persona",
    "workflow_id",
    "timezone",
    "logo",
    "business_name",
    "business_address",
    "business_email",
    "business_description",
    "test_channel_code",
    "status",
    "status_reason",
    "escalation_email",
    "created_at",
    "updated_at",
}
META_FIELDS = {
    "total_count",
    "page_count",
    "current_page",
    "limit",
    "has_next_page",
    "has_previous_page",
}
START = 1_800_000_000.0


class FakeClock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> float:
        return self.now


@dataclass
class Reply:
    status: int
    body: Any
    headers: CIMultiDictProxy[str]


class Api:
    """Raw HTTP calls against one emulator, authenticated with its key unless told otherwise."""

    def __init__(self, session: aiohttp.ClientSession, emu: Emulator) -> None:
        self.session = session
        self.emu = emu

    async def __call__(
        self,
        method: str,
        path: str,
        *,
        key: str | None = None,
        auth: bool = True,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> Reply:
        sent = dict(headers or {})
        if auth:
            sent["Authorization"] = f"Bearer {key or self.emu.api_key}"
        url = URL(self.emu.base_url + PREFIX + path, encoded=True)
        async with self.session.request(method, url, headers=sent, **kwargs) as response:
            raw = await response.read()
            body: Any = raw
            if response.content_type == "application/json":
                with contextlib.suppress(ValueError):
                    body = json.loads(raw)
            return Reply(response.status, body, response.headers)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def emu(clock: FakeClock) -> AsyncIterator[Emulator]:
    async with Emulator(clock=clock, quirks=LEGACY) as emulator:
        yield emulator


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
def api(session: aiohttp.ClientSession, emu: Emulator) -> Api:
    return Api(session, emu)


@pytest.fixture
async def seeded(clock: FakeClock) -> AsyncIterator[Emulator]:
    async with Emulator(clock=clock, quirks=LEGACY) as emulator:
        emulator.seed(
            agents=3, workflows=8, conversations_per_agent=30, messages_per_conversation=5
        )
        yield emulator


def assert_error(reply: Reply, status: int, code: str) -> None:
    assert reply.status == status, reply.body
    assert reply.body["code"] == code
    assert reply.body["request_id"] == reply.headers["x-request-id"]


# Envelopes, request ids and auth


async def test_success_envelope_echoes_request_id(api: Api) -> None:
    reply = await api("GET", "/agents", headers={"X-Request-Id": "req-123"})
    assert reply.status == 200
    assert reply.body == {
        "message": "ok",
        "data": [],
        "meta": {
            "total_count": 0,
            "page_count": 0,
            "current_page": 1,
            "limit": 20,
            "has_next_page": False,
            "has_previous_page": False,
        },
    }
    assert reply.headers["x-request-id"] == "req-123"
    generated = await api("GET", "/agents")
    assert len(generated.headers["x-request-id"]) == 36


async def test_missing_and_unknown_keys_get_401(api: Api) -> None:
    missing = await api("GET", "/agents", auth=False, headers={"X-Request-Id": "r1"})
    assert_error(missing, 401, "api_key_missing")
    assert missing.body["request_id"] == "r1"
    assert isinstance(missing.body["message"], str)
    assert_error(await api("GET", "/agents", key="sk_nope"), 401, "api_key_invalid")
    basic = await api("GET", "/agents", auth=False, headers={"Authorization": "Basic eDp5"})
    assert_error(basic, 401, "api_key_invalid")


async def test_read_only_key_can_read_but_not_write(api: Api, emu: Emulator) -> None:
    emu.add_api_key("sk_reader")
    assert (await api("GET", "/agents", key="sk_reader")).status == 200
    reply = await api("POST", "/agents", key="sk_reader", json={"name": "Nope"})
    assert_error(reply, 403, "insufficient_scope")
    assert emu.state.agents == {}


async def test_unknown_routes_and_calls(api: Api) -> None:
    assert_error(await api("GET", "/nothing/here"), 404, "not_found")
    assert_error(await api("DELETE", "/agents"), 404, "not_found")
    assert_error(await api("GET", "/calls"), 501, "not_implemented")


async def test_encoded_slash_id_is_just_an_unknown_agent(api: Api, emu: Emulator) -> None:
    await api("POST", "/workflows", json={"name": "Secret"})
    reply = await api("GET", "/agents/a%2F..%2Fworkflows")
    assert_error(reply, 404, "not_found")
    assert emu.requests[-1].path == PREFIX + "/agents/a%2F..%2Fworkflows"


async def test_path_ids_are_decoded_exactly_once(api: Api, emu: Emulator) -> None:
    created = await api("POST", "/agents", json={"name": "Slashed"})
    agent = emu.state.agents.pop(created.body["data"]["id"])
    emu.state.add_agent(msgspec.structs.replace(agent, id="a/b"))
    assert (await api("GET", "/agents/a%2Fb")).body["data"]["id"] == "a/b"
    assert_error(await api("GET", "/agents/a%252Fb"), 404, "not_found")


# Agents, validation and pagination


async def test_create_agent_fills_every_field(api: Api, clock: FakeClock) -> None:
    reply = await api("POST", "/agents", json={"name": "Desk", "language": "en", "color": "red"})
    assert reply.status == 201
    agent = reply.body["data"]
    assert set(agent) == AGENT_FIELDS | {"workflow"}
    assert agent["id"].startswith("ag_")
    assert agent["status"] == "development"
    assert agent["description"] == ""
    assert agent["language"] == "en"
    assert agent["created_at"] == "2027-01-15T08:00:00.000Z"


async def test_validation_errors_are_path_text_lists(api: Api) -> None:
    reply = await api("POST", "/agents", json={"workflow_id": 7, "persona": "grumpy"})
    assert_error(reply, 400, "validation_error")
    assert reply.body["message"] == [
        "workflow_id: must be a string",
        "name: is required",
        "persona: must be one of professional, friendly, concise",
    ]
    assert_error(await api("POST", "/agents", data=b"{nope"), 400, "bad_request")
    query = {"limit": "101", "page": "0", "sort": "colour"}
    listing = await api("GET", "/agents", params=query)
    assert listing.body["message"] == [
        "page: must be a positive integer",
        "limit: must be between 1 and 100",
        "sort: must be one of created_at, updated_at, name, status (prefix - to reverse)",
    ]


async def test_patch_agent(api: Api) -> None:
    created = (await api("POST", "/agents", json={"name": "Old"})).body["data"]
    patch = {"name": "New", "status": "live"}
    reply = await api("PATCH", f"/agents/{created['id']}", json=patch)
    agent = reply.body["data"]
    assert (agent["name"], agent["status"]) == ("New", "live")
    assert_error(await api("PATCH", "/agents/ag_missing", json={"name": "x"}), 404, "not_found")


async def test_pages_cover_every_item_once(api: Api, emu: Emulator) -> None:
    emu.seed(agents=45, workflows=0, conversations_per_agent=0, messages_per_conversation=0)
    seen: list[str] = []
    for page in (1, 2, 3):
        reply = await api("GET", "/agents", params={"page": str(page)})
        assert set(reply.body["meta"]) == META_FIELDS
        assert reply.body["meta"]["has_next_page"] is (page < 3)
        assert reply.body["meta"]["has_previous_page"] is (page > 1)
        seen += [agent["id"] for agent in reply.body["data"]]
    assert sorted(seen) == sorted(emu.state.agents)
    past = await api("GET", "/agents", params={"page": "4"})
    assert past.body["data"] == []
    assert past.body["meta"]["total_count"] == 45
    assert past.body["meta"]["page_count"] == 3


async def test_search_and_sort(api: Api) -> None:
    for name in ("Zeta Support", "alpha desk", "Beta support"):
        await api("POST", "/agents", json={"name": name})
    found = await api("GET", "/agents", params={"search": "SUPPORT", "sort": "name"})
    assert [a["name"] for a in found.body["data"]] == ["Beta support", "Zeta Support"]
    backwards = await api("GET", "/agents", params={"sort": "-name"})
    assert [a["name"] for a in backwards.body["data"]] == [
        "Zeta Support",
        "Beta support",
        "alpha desk",
    ]


async def test_equal_sort_keys_fall_back_to_id(api: Api) -> None:
    for index in range(5):
        await api("POST", "/agents", json={"name": f"Same time {index}"})
    ids = [agent["id"] for agent in (await api("GET", "/agents")).body["data"]]
    assert ids == sorted(ids)


async def test_agent_detail_and_sub_lists(session: aiohttp.ClientSession, seeded: Emulator) -> None:
    api = Api(session, seeded)
    agent_id = next(iter(seeded.state.agents))
    detail = (await api("GET", f"/agents/{agent_id}")).body["data"]
    lists = ("integrations", "channels", "knowledge_bases")
    assert set(detail) == AGENT_FIELDS | set(lists)
    for name in (*lists, "conversation_flows", "actions"):
        sub = (await api("GET", f"/agents/{agent_id}/{name}")).body["data"]
        assert sub, name
        if name in lists:  # the detail embeds each item's summary
            assert [{key: item[key] for key in detail[name][0]} for item in sub] == detail[name]


# Knowledge bases and workflows


async def test_knowledge_base_lifecycle(api: Api) -> None:
    agent_id = (await api("POST", "/agents", json={"name": "KB"})).body["data"]["id"]
    path = f"/agents/{agent_id}/knowledge_bases"
    text = await api("POST", path, json={"type": "text", "name": "FAQ", "content": "Open 9-5"})
    url = await api("POST", path, json={"type": "url", "name": "Site", "url": "https://x.example"})
    assert text.status == url.status == 201
    kb_id = text.body["data"]["id"]
    assert kb_id.startswith("kb_")
    bad = await api("POST", path, json={"type": "pdf", "name": "x"})
    assert bad.body["message"] == ["type: must be one of text, url"]
    missing = await api("POST", path, json={"type": "text", "name": "x"})
    assert missing.body["message"] == ["content: is required"]
    no_url = await api("POST", path, json={"type": "url", "name": "x"})
    assert no_url.body["message"] == ["url: is required"]
    patched = await api("PATCH", f"{path}/{kb_id}", json={"description": "Hours"})
    assert patched.body["data"]["description"] == "Hours"
    detail = await api("GET", f"/agents/{agent_id}")
    assert [kb["name"] for kb in detail.body["data"]["knowledge_bases"]] == ["FAQ", "Site"]
    deleted = await api("DELETE", f"{path}/{kb_id}")
    assert deleted.body == {"message": "ok", "data": None}
    assert_error(await api("DELETE", f"{path}/{kb_id}"), 404, "not_found")
    assert len((await api("GET", path)).body["data"]) == 1


async def test_workflow_scopes_and_ownership(
    session: aiohttp.ClientSession, seeded: Emulator
) -> None:
    api = Api(session, seeded)
    seeded.add_api_key("sk_colleague", frozenset({"read", "write"}))
    owned = (await api("GET", "/workflows")).body["data"]
    public = (await api("GET", "/workflows", params={"scope": "public"})).body["data"]
    assert owned
    assert all(wf["is_owner"] for wf in owned)
    assert any(not wf["is_owner"] for wf in public)
    assert all(wf["visibility"] == "public" for wf in public)
    full = (await api("GET", f"/workflows/{owned[0]['id']}")).body["data"]
    assert full == owned[0]
    assert {"system_prompt", "rules", "flows", "tags", "setup_steps"} <= set(full)
    bad_scope = await api("GET", "/workflows", params={"scope": "all"})
    assert bad_scope.body["message"] == ["scope: must be one of owned, public, accessible"]

    mine = await api("POST", "/workflows", key="sk_colleague", json={"name": "Mine"})
    wf_id = mine.body["data"]["id"]
    assert mine.body["data"]["visibility"] == "private"
    assert_error(await api("GET", f"/workflows/{wf_id}"), 404, "not_found")
    shared = await api(
        "PATCH", f"/workflows/{wf_id}", key="sk_colleague", json={"visibility": "public"}
    )
    assert shared.body["data"]["visibility"] == "public"
    assert (await api("GET", f"/workflows/{wf_id}")).body["data"]["is_owner"] is False
    assert_error(await api("DELETE", f"/workflows/{wf_id}"), 403, "forbidden")
    gone = await api("DELETE", f"/workflows/{wf_id}", key="sk_colleague")
    assert gone.body == {"message": "ok", "data": None}
    assert wf_id not in seeded.state.workflows


# Conversations, messages and stream tickets


async def test_conversation_filters(session: aiohttp.ClientSession, seeded: Emulator) -> None:
    api = Api(session, seeded)
    agent_id = next(iter(seeded.state.agents))
    path = f"/agents/{agent_id}/conversations"
    webchat = await api("GET", path, params={"channel": "webchat", "limit": "100"})
    assert webchat.body["data"]
    assert {c["channel_type"] for c in webchat.body["data"]} == {"webchat"}
    bad = await api("GET", path, params={"channel": "fax"})
    assert_error(bad, 400, "validation_error")
    assert bad.body["message"][0].startswith("channel: must be one of whatsapp, webchat")
    newest = await api("GET", path, params={"sort": "-last_message_at", "limit": "100"})
    stamps = [c["last_message_at"] for c in newest.body["data"]]
    assert stamps == sorted(stamps, reverse=True)


async def test_message_search_and_sort(session: aiohttp.ClientSession, seeded: Emulator) -> None:
    api = Api(session, seeded)
    agent_id = next(iter(seeded.state.agents))
    conversation_id = next(iter(seeded.state.conversations[agent_id]))
    path = f"/agents/{agent_id}/conversations/{conversation_id}/messages"
    oldest_first = (await api("GET", path)).body["data"]
    assert [m["role"] for m in oldest_first] == ["user", "assistant", "user", "assistant", "user"]
    newest_first = (await api("GET", path, params={"sort": "-created_at"})).body["data"]
    assert newest_first == oldest_first[::-1]
    word = oldest_first[0]["message"].split()[0].upper()
    found = (await api("GET", path, params={"search": word})).body["data"]
    assert found
    assert all(word.casefold() in m["message"].casefold() for m in found)


async def test_sending_a_message_updates_the_conversation(
    session: aiohttp.ClientSession, seeded: Emulator, clock: FakeClock
) -> None:
    api = Api(session, seeded)
    agent_id = next(iter(seeded.state.agents))
    conversation_id = next(iter(seeded.state.conversations[agent_id]))
    path = f"/agents/{agent_id}/conversations/{conversation_id}"
    text = "Hello " * 30
    attachments = [{"type": "image", "url": "https://cdn.example/a.png"}]
    clock.now += 5
    sent = await api("POST", f"{path}/messages", json={"message": text, "attachments": attachments})
    assert sent.status == 201
    assert sent.body["data"]["role"] == "user"
    assert sent.body["data"]["attachments"] == attachments
    conversation = (await api("GET", path)).body["data"]
    assert conversation["last_message_preview"] == text[:100]
    assert conversation["last_message_at"] == sent.body["data"]["created_at"]
    assert conversation["updated_at"] == "2027-01-15T08:00:05.000Z"
    invalid = await api("POST", f"{path}/messages", json={"attachments": [{"type": "x"}]})
    assert invalid.body["message"] == ["message: is required", "attachments[0].url: is required"]
    assert_error(await api("GET", f"/agents/{agent_id}/conversations/cv_nope"), 404, "not_found")


async def test_stream_tickets_are_single_use_and_expire(
    session: aiohttp.ClientSession, seeded: Emulator, clock: FakeClock
) -> None:
    api = Api(session, seeded)
    agent_id = next(iter(seeded.state.agents))
    conversation_id = next(iter(seeded.state.conversations[agent_id]))
    path = f"/agents/{agent_id}/conversations/{conversation_id}/stream-ticket"
    issued = (await api("POST", path)).body["data"]
    assert issued["expires_in"] == 60
    assert seeded.state.consume_ticket(issued["ticket"]) == (agent_id, conversation_id)
    assert seeded.state.consume_ticket(issued["ticket"]) is None
    stale = (await api("POST", path)).body["data"]["ticket"]
    clock.now += 60
    assert seeded.state.consume_ticket(stale) is None


# Idempotency


async def test_idempotent_replay_writes_once(api: Api, emu: Emulator) -> None:
    key = {"Idempotency-Key": "k-1"}
    first = await api("POST", "/agents", headers=key, json={"name": "Once"})
    again = await api("POST", "/agents", headers=key, json={"name": "Once"})
    assert first.status == again.status == 201
    assert again.body == first.body
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["x-request-id"] != first.headers["x-request-id"]
    assert len(emu.state.agents) == 1
    conflict = await api("POST", "/agents", headers=key, json={"name": "Other"})
    assert_error(conflict, 409, "conflict")
    other_path = await api("POST", "/workflows", headers=key, json={"name": "Other"})
    assert other_path.status == 201


async def test_idempotency_keeps_4xx_but_not_5xx(api: Api, emu: Emulator) -> None:
    key = {"Idempotency-Key": "k-2"}
    invalid = await api("POST", "/agents", headers=key, json={})
    replayed = await api("POST", "/agents", headers=key, json={})
    assert invalid.status == replayed.status == 400
    assert replayed.headers["Idempotent-Replayed"] == "true"
    emu.faults.fail_next(status=503)
    retry_key = {"Idempotency-Key": "k-3"}
    assert (await api("POST", "/agents", headers=retry_key, json={"name": "A"})).status == 503
    real = await api("POST", "/agents", headers=retry_key, json={"name": "A"})
    assert real.status == 201
    assert "Idempotent-Replayed" not in real.headers


async def test_retry_after_lost_response_replays(api: Api, emu: Emulator) -> None:
    key = {"Idempotency-Key": "k-4"}
    emu.faults.fail_next(status=502, after_handler=True)
    lost = await api("POST", "/agents", headers=key, json={"name": "Lost"})
    assert lost.status == 502
    assert len(emu.state.agents) == 1
    retried = await api("POST", "/agents", headers=key, json={"name": "Lost"})
    assert retried.status == 201
    assert retried.headers["Idempotent-Replayed"] == "true"
    assert len(emu.state.agents) == 1


async def test_concurrent_repeat_waits_for_the_first(api: Api, emu: Emulator) -> None:
    key = {"Idempotency-Key": "k-5"}
    emu.faults.delay_next(seconds=0.05)
    first, second = await asyncio.gather(
        api("POST", "/agents", headers=key, json={"name": "Slow"}),
        api("POST", "/agents", headers=key, json={"name": "Slow"}),
    )
    assert first.body == second.body
    assert len(emu.state.agents) == 1


# Rate limiting


async def test_rate_limit_window(session: aiohttp.ClientSession, clock: FakeClock) -> None:
    async with Emulator(rate_limit=2, rate_window=60, clock=clock, quirks=LEGACY) as emu:
        emu.add_api_key("sk_other", frozenset({"read"}))
        api = Api(session, emu)
        reset = str(math.ceil(START + 60))
        first = await api("GET", "/agents")
        assert [first.headers[f"X-RateLimit-{h}"] for h in ("Limit", "Remaining", "Reset")] == [
            "2",
            "1",
            reset,
        ]
        assert (await api("GET", "/agents")).headers["X-RateLimit-Remaining"] == "0"
        limited = await api("GET", "/agents")
        assert_error(limited, 429, "rate_limited")
        assert limited.headers["Retry-After"] == "60"
        assert limited.headers["X-RateLimit-Reset"] == reset
        assert (await api("GET", "/agents", key="sk_other")).status == 200
        clock.now += 59.5
        assert (await api("GET", "/agents")).headers["Retry-After"] == "1"
        clock.now += 0.5
        renewed = await api("GET", "/agents")
        assert renewed.status == 200
        assert renewed.headers["X-RateLimit-Remaining"] == "1"


async def test_rate_limit_headers_without_a_limit(api: Api) -> None:
    reply = await api("GET", "/agents")
    assert reply.headers["X-RateLimit-Limit"] == "10000"
    assert int(reply.headers["X-RateLimit-Reset"]) == math.ceil(START + 60)
    assert "Retry-After" not in reply.headers


# Faults


async def test_fail_next(api: Api, emu: Emulator) -> None:
    emu.faults.fail_next(2, 503)
    emu.faults.fail_next(status=429, code="too_many_requests", headers={"Retry-After": "3"})
    assert len(emu.faults) == 3
    for _ in range(2):
        assert_error(await api("GET", "/agents"), 503, "internal_error")
    throttled = await api("GET", "/agents")
    assert_error(throttled, 429, "too_many_requests")
    assert throttled.headers["Retry-After"] == "3"
    assert (await api("GET", "/agents")).status == 200
    assert [r.status for r in emu.requests] == [503, 503, 429, 200]
    assert len(emu.faults) == 0


async def test_fail_next_with_raw_body_and_path(api: Api, emu: Emulator) -> None:
    emu.faults.fail_next(status=500, body=b"not json", path="/workflows")
    emu.faults.fail_next(status=502, body=b"")
    assert (await api("GET", "/agents")).status == 502
    assert (await api("GET", "/agents")).status == 200
    garbled = await api("GET", "/workflows", headers={"Accept": "application/json"})
    assert garbled.status == 500
    assert garbled.headers["Content-Type"] == "application/json"
    assert garbled.body == b"not json"


async def test_respond_next_sends_exactly_that(api: Api, emu: Emulator) -> None:
    emu.faults.respond_next(body=b"<html>hi</html>", headers={"Content-Type": "text/html"})
    emu.faults.respond_next(body=b'{"data": []}')
    page = await api("GET", "/agents")
    assert (page.status, page.body) == (200, b"<html>hi</html>")
    assert (await api("GET", "/agents")).body == {"data": []}


async def test_drop_next_closes_the_connection(api: Api, emu: Emulator) -> None:
    # POST, because aiohttp itself silently retries a dropped GET once.
    emu.faults.drop_next(path="/agents")
    emu.faults.drop_next(after_handler=True)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api("POST", "/agents", json={"name": "Never written"})
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await api("POST", "/agents", json={"name": "Written anyway"})
    assert [agent.name for agent in emu.state.agents.values()] == ["Written anyway"]
    assert [r.status for r in emu.requests] == [0, 0]


async def test_delay_next_and_client_timeouts(api: Api, emu: Emulator) -> None:
    emu.faults.delay_next(seconds=0.05)
    started = time.perf_counter()
    assert (await api("GET", "/agents")).status == 200
    assert time.perf_counter() - started >= 0.04
    emu.faults.delay_next(seconds=30)
    with pytest.raises(asyncio.TimeoutError):
        await api("GET", "/agents", timeout=aiohttp.ClientTimeout(total=0.05))
    assert emu.requests[-1].status == 0


async def test_clear_removes_pending_faults(api: Api, emu: Emulator) -> None:
    emu.faults.fail_next(5)
    emu.faults.clear()
    assert (await api("GET", "/agents")).status == 200


# Recording, seeding and lifecycle


async def test_requests_are_recorded_raw(api: Api, emu: Emulator) -> None:
    await api(
        "POST",
        "/agents?dry_run=true",
        headers={"X-Request-Id": "r-9", "Idempotency-Key": "k"},
        data=b'{"name": "Rec"}',
    )
    assert emu.requests == [
        RecordedRequest(
            method="POST",
            path=PREFIX + "/agents",
            query={"dry_run": "true"},
            headers=emu.requests[0].headers,
            body=b'{"name": "Rec"}',
            time=START,
            status=201,
        )
    ]
    headers = emu.requests[0].headers
    assert headers["x-request-id"] == "r-9"
    assert headers["idempotency-key"] == "k"
    assert headers["authorization"] == f"Bearer {emu.api_key}"


async def test_seed_volume_speed_and_determinism() -> None:
    started = time.perf_counter()
    big = Emulator(seed=True)
    assert time.perf_counter() - started < 1.0
    assert len(big.state.agents) == 25
    assert len(big.state.workflows) == 10
    assert sum(map(len, big.state.conversations.values())) == 2000
    assert sum(map(len, big.state.messages.values())) == 6000
    again = Emulator()
    again.seed()
    assert list(again.state.agents.values()) == list(big.state.agents.values())
    again.seed(agents=1, workflows=0, conversations_per_agent=0, messages_per_conversation=0)
    assert len(again.state.agents) == 26


async def test_stop_leaves_nothing_open(session: aiohttp.ClientSession) -> None:
    emu = Emulator()
    await emu.start()
    await emu.start()
    base_url = emu.base_url
    port = URL(base_url).port
    assert (await Api(session, emu)("GET", "/agents")).status == 200
    await emu.stop()
    await emu.stop()
    with pytest.raises(RuntimeError):
        _ = emu.base_url
    with socket.socket() as probe, pytest.raises(ConnectionRefusedError):
        probe.connect(("127.0.0.1", port or 0))
    async with emu:
        assert (await Api(session, emu)("GET", "/agents")).status == 200


async def test_process_mode_serves_until_interrupted() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bimpe_async.testing",
        "--port",
        "0",
        "--api-key",
        "sk_proc",
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    try:
        banner = (await asyncio.wait_for(process.stdout.readline(), 10)).decode()
        base_url = banner.split()[-1]
        headers = {"Authorization": "Bearer sk_proc"}
        async with (
            aiohttp.ClientSession() as client,
            client.get(base_url + PREFIX + "/agents", headers=headers) as response,
        ):
            assert response.status == 200
    finally:
        process.send_signal(signal.SIGINT)
        await asyncio.wait_for(process.communicate(), 10)
    assert process.returncode == 0


async def test_recorded_headers_are_case_insensitive(api: Api, emu: Emulator) -> None:
    await api("GET", "/agents")
    sent = emu.requests[-1]
    assert sent.headers["Authorization"] == sent.headers["authorization"]
    assert "USER-AGENT" in sent.headers

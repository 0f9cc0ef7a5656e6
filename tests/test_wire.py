"""The wire rules, checked over real HTTP against the embedded emulator."""

from __future__ import annotations

import platform
import uuid

import pytest

from bimpe_async import (
    APIResponseValidationError,
    AsyncBimpeAI,
    AuthenticationError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    UserError,
    ValidationError,
    __version__,
)
from bimpe_async.testing import Emulator


async def test_every_request_carries_the_documented_headers(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    await client.agents.list()
    await client.agents.create(name="Ada")
    get, post = emulator.requests
    for sent in (get, post):
        assert sent.headers["authorization"] == f"Bearer {emulator.api_key}"
        assert sent.headers["accept"] == "application/json"
        assert sent.headers["user-agent"] == (
            f"bimpe-async/{__version__} (Python/{platform.python_version()}; {platform.system()})"
        )
        uuid.UUID(sent.headers["x-request-id"])
    assert "content-type" not in get.headers
    assert "idempotency-key" not in get.headers
    assert post.headers["content-type"] == "application/json"
    uuid.UUID(post.headers["idempotency-key"])
    assert get.headers["x-request-id"] != post.headers["x-request-id"]


async def test_caller_headers_win_and_request_id_comes_back(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    agent = await client.agents.create(
        name="Ada", headers={"x-request-id": "req-mine", "X-Extra": "1"}
    )
    sent = emulator.requests[-1]
    assert sent.headers["x-request-id"] == "req-mine"
    assert sent.headers["x-extra"] == "1"
    assert agent.name == "Ada"


async def test_default_headers_are_sent_on_every_call(emulator: Emulator) -> None:
    async with AsyncBimpeAI(
        emulator.api_key, base_url=emulator.base_url, default_headers={"X-Team": "ops"}
    ) as client:
        await client.agents.list()
    assert emulator.requests[-1].headers["x-team"] == "ops"


async def test_idempotency_key_rules(emulator: Emulator) -> None:
    async with AsyncBimpeAI(emulator.api_key, base_url=emulator.base_url) as client:
        await client.agents.create(name="a", idempotency_key="key-1")
        assert emulator.requests[-1].headers["idempotency-key"] == "key-1"
        await client.agents.create(name="b", max_retries=0)
        assert "idempotency-key" not in emulator.requests[-1].headers
        await client.agents.create(name="c", max_retries=0, idempotency_key="key-2")
        assert emulator.requests[-1].headers["idempotency-key"] == "key-2"
    async with AsyncBimpeAI(
        emulator.api_key, base_url=emulator.base_url, max_retries=0
    ) as no_retries:
        await no_retries.agents.create(name="d")
        assert "idempotency-key" not in emulator.requests[-1].headers


async def test_a_repeated_idempotency_key_writes_once(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    first = await client.agents.create(name="Ada", idempotency_key="same")
    again = await client.agents.create(name="Ada", idempotency_key="same")
    assert again == first
    page = await client.agents.list()
    assert [agent.id for agent in page.data] == [first.id]
    with pytest.raises(ConflictError) as caught:
        await client.agents.create(name="Someone else", idempotency_key="same")
    assert caught.value.status == 409


@pytest.mark.parametrize(
    ("agent_id", "raw_segment"),
    [
        ("a/../workflows", "a%2F..%2Fworkflows"),
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("a b?c#d&e", "a%20b%3Fc%23d%26e"),
        ("ünï", "%C3%BCn%C3%AF"),
    ],
)
async def test_ids_are_one_encoded_path_segment(
    client: AsyncBimpeAI, emulator: Emulator, agent_id: str, raw_segment: str
) -> None:
    with pytest.raises(NotFoundError):
        await client.agents.retrieve(agent_id)
    assert emulator.requests[-1].path == f"/api/v1/console/agents/{raw_segment}"


async def test_an_encoded_id_cannot_reach_another_endpoint(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    await client.agents.create(name="x")
    with pytest.raises(NotFoundError):
        await client.agents.update("a/../../workflows", name="y")
    assert emulator.requests[-1].method == "PATCH"
    assert emulator.requests[-1].path.startswith("/api/v1/console/agents/a%2F")


@pytest.mark.parametrize("bad", ["", None, 42])
async def test_bad_ids_are_user_errors_naming_the_argument(
    client: AsyncBimpeAI, emulator: Emulator, bad: object
) -> None:
    with pytest.raises(UserError, match="agent_id"):
        await client.agents.retrieve(bad)  # type: ignore[arg-type]
    assert emulator.requests == []


async def test_query_drops_none_and_encodes_values(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    await client.agents.list(search="a&b c", sort="-created_at")
    sent = emulator.requests[-1]
    assert sent.query == {"page": "1", "search": "a&b c", "sort": "-created_at"}
    assert "limit" not in sent.query


def test_booleans_are_sent_lower_case() -> None:
    from bimpe_async._endpoint import encode_query

    assert encode_query({"a": True, "b": False, "c": None, "d": 3}) == "?a=true&b=false&d=3"
    assert encode_query({"c": None}) == ""


async def test_unknown_body_arguments_are_user_errors(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    with pytest.raises(UserError, match="nmae"):
        await client.agents.create(nmae="typo")  # type: ignore[call-arg]
    with pytest.raises(UserError, match="name"):
        await client.agents.create()  # type: ignore[call-arg]
    with pytest.raises(UserError, match="max_retries"):
        await client.agents.create(name="x", max_retries=-1)
    with pytest.raises(UserError, match="timeout"):
        await client.agents.create(name="x", timeout=0)
    with pytest.raises(UserError, match="page"):
        await client.agents.list(page=0)
    assert emulator.requests == []


async def test_server_validation_errors_carry_field_errors(client: AsyncBimpeAI) -> None:
    with pytest.raises(ValidationError) as caught:
        await client.agents.create(name="")
    error = caught.value
    assert error.status == 400
    assert error.code == "validation_error"
    assert error.field_errors
    assert error.field_errors[0]["path"] == "name"
    assert error.request_id
    with pytest.raises(ValidationError) as caught:
        await client.agents.list(limit=1000)
    assert [e["path"] for e in caught.value.field_errors] == ["limit"]


async def test_authentication_and_permission_errors(emulator: Emulator) -> None:
    async with AsyncBimpeAI("sk_wrong", base_url=emulator.base_url) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.agents.list()
    assert caught.value.code == "api_key_invalid"
    assert "sk_wrong" not in str(caught.value)
    emulator.add_api_key("sk_read_only", scopes=frozenset({"read"}))
    async with AsyncBimpeAI("sk_read_only", base_url=emulator.base_url) as client:
        await client.agents.list()
        with pytest.raises(PermissionDeniedError) as denied:
            await client.agents.create(name="x")
    assert denied.value.code == "insufficient_scope"


async def test_not_found_maps_with_request_id(client: AsyncBimpeAI, emulator: Emulator) -> None:
    with pytest.raises(NotFoundError) as caught:
        await client.agents.retrieve("ag_missing")
    assert caught.value.status == 404
    assert caught.value.request_id == emulator.requests[-1].headers["x-request-id"]
    assert "ag_missing" in str(caught.value) or caught.value.message


@pytest.mark.parametrize(
    "body",
    [b"not json", b"", b'{"data": []}', b'{"message": 5, "data": []}', b"[1, 2]"],
)
async def test_a_success_that_is_not_an_envelope_is_a_clear_error(
    client: AsyncBimpeAI, emulator: Emulator, body: bytes
) -> None:
    emulator.faults.respond_next(status=200, body=body)
    with pytest.raises(APIResponseValidationError) as caught:
        await client.agents.list()
    request_id = emulator.requests[-1].headers["x-request-id"]
    message = str(caught.value)
    assert message.startswith("GET /agents?page=1 answered 200 with a body that is not")
    assert request_id in message
    assert caught.value.request_id == request_id


async def test_a_wrongly_typed_item_is_a_clear_error(
    client: AsyncBimpeAI, emulator: Emulator
) -> None:
    emulator.faults.respond_next(status=200, body=b'{"message": "ok", "data": [{"id": 1}]}')
    with pytest.raises(APIResponseValidationError, match=r"data\[0\]"):
        await client.agents.list()

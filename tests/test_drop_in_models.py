"""Our models are never stricter than the official SDK's (0.4.1).

A differential property test: hypothesis builds ``data`` payloads from the shapes of
the peer's own pydantic models, then bends them the ways real servers do (optional
fields missing or null, ``[]`` placeholders in object lists, null lists, enum values
nobody knew yet, new fields, numbers and booleans sent as strings). Whenever the
peer's model accepts a payload, the SDK's own decode step must accept it too, agree
on the plain fields, and expose every new field as an attribute.

Type confusions are limited to what a JSON server plausibly sends (``"5"`` for 5,
``"true"`` / 1 for true); pydantic's wider lax mode (``"yes"`` / ``"on"`` for true)
is not a server behaviour and is left out.
"""

from __future__ import annotations

import types
import typing
from typing import Any, Literal, Union

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bimpe_async
from bimpe_async._core import decode_envelope

bimpeai = pytest.importorskip("bimpeai")
pydantic = pytest.importorskip("pydantic")

NEW_FIELD = "zz_field_from_the_future"

PAIRS = [
    "Agent",
    "AgentAction",
    "AgentChannel",
    "AgentCreateResponse",
    "AgentDetail",
    "AgentIntegration",
    "AgentLiveStatus",
    "AgentTestCode",
    "BulkActionUpdate",
    "Call",
    "CallDetail",
    "Conversation",
    "ConversationDetail",
    "KnowledgeBaseItem",
    "MakeCallResult",
    "Message",
    "PhoneNumber",
    "PhoneNumberDetail",
    "PhoneNumberRequest",
    "StreamMessageEvent",
    "StreamTicket",
    "Workflow",
]

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=8)
plausible_junk = st.one_of(
    st.none(), st.just([]), st.just({}), st.integers(-3, 3), words, st.booleans()
)


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel)


def value_for(annotation: Any, depth: int) -> st.SearchStrategy[Any]:
    """Values the peer's annotation allows, plus the bends a real server makes."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (Union, types.UnionType):
        return st.one_of([value_for(arg, depth) for arg in args])
    if annotation is type(None):
        return st.none()
    if origin is Literal:
        return st.one_of(st.sampled_from(args), st.just("a_value_added_later"))
    if annotation is bool:
        return st.sampled_from([True, False, "true", "false", 1, 0])
    if annotation is int:
        return st.one_of(st.integers(-(2**40), 2**40), st.integers(0, 99).map(str))
    if annotation is float:
        return st.floats(allow_nan=False, allow_infinity=False)
    if annotation is str:
        return words
    if origin is list:
        (item,) = args or (Any,)
        items = value_for(item, depth + 1)
        if _is_model(item):  # the server pads object lists with [] placeholders
            items = st.one_of(items, st.just([]))
        return st.lists(items, max_size=3 if depth < 2 else 1)
    if origin is dict or annotation is dict:
        return st.dictionaries(words, words, max_size=2)
    if _is_model(annotation):
        return payload_for(annotation, depth + 1) if depth < 3 else st.builds(dict)
    return st.one_of(words, st.integers(), st.none())


def payload_for(model: Any, depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    """An object for ``model``: each field given a fitting value, junk, or left out."""
    fields = {}
    for name, info in model.model_fields.items():
        fitting = value_for(info.annotation, depth)
        fields[name] = st.one_of(fitting, fitting, plausible_junk) if depth else fitting
    keys = list(fields)

    @st.composite
    def build(draw: st.DrawFn) -> dict[str, Any]:
        chosen = draw(st.lists(st.sampled_from(keys), unique=True)) if keys else []
        payload = {
            key: draw(fields[key])
            for key in keys
            if key in chosen or model.model_fields[key].is_required()
        }
        if draw(st.booleans()):
            payload[NEW_FIELD] = draw(words)
        return payload

    return build()


def decode_ours(name: str, data: Any) -> Any:
    body = msgspec.json.encode({"message": "ok", "data": data})
    return decode_envelope(getattr(bimpe_async, name), body).data


@pytest.mark.parametrize("name", PAIRS)
def test_every_payload_the_peer_accepts_decodes_here(name: str) -> None:
    peer_model = getattr(bimpeai, name)

    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(payload_for(peer_model))
    def check(payload: dict[str, Any]) -> None:
        try:
            theirs = peer_model.model_validate(payload)
        except pydantic.ValidationError:
            return  # the peer refuses it: nothing to compare
        ours = decode_ours(name, payload)
        for field, value in payload.items():
            if isinstance(value, str) and isinstance(getattr(theirs, field, None), str):
                assert getattr(ours, field) == value, field
        if NEW_FIELD in payload:
            assert getattr(ours, NEW_FIELD) == payload[NEW_FIELD]
            assert ours.model_extra[NEW_FIELD] == payload[NEW_FIELD]

    check()


def test_the_known_server_quirks_decode() -> None:
    """The cases the issue names, spelled out: each decodes here as it does there."""
    workflow = {
        "id": "wf_1",
        "name": "Support",
        "created_at": "2026-11-01T00:00:00Z",
        "updated_at": "2026-11-01T00:00:00Z",
        "visibility": "private",
        "is_owner": True,
        "rules": [[], {"id": "r_1", "name": "greet"}],
        "flows": [[], {"name": "refunds", "anything": "goes"}],
        "faq": [[], {"question": "q", "answer": "a"}],
        "setup_steps": [[], []],
        "tags": None,
    }
    ours = decode_ours("Workflow", workflow)
    theirs = bimpeai.Workflow.model_validate(workflow)
    assert [rule.id for rule in ours.rules] == [rule.id for rule in theirs.rules] == ["r_1"]
    assert ours.rules[0].name == "greet"
    assert len(ours.flows) == len(theirs.flows) == 1
    assert ours.flows[0].anything == "goes"  # an unknown field of a nested object
    assert (
        decode_ours("Workflow", {**workflow, "flows": [{"free": "form"}]}).flows[0].free == "form"
    )
    assert [item.question for item in ours.faq] == ["q"]
    assert ours.tags is None
    assert ours.setup_steps == [[], []]

    agent = {
        "id": "ag_1",
        "name": "Ada",
        "description": "d",
        "created_at": "t",
        "updated_at": "t",
        "workflow_id": "wf_1",
        "needs_review": True,
        "integrations": [
            {
                "id": "in_1",
                "type": "stripe",
                "name": "Stripe",
                "status": "ok",
                "is_connected": True,
                "region": "eu",
            }
        ],
    }
    detail = decode_ours("AgentDetail", agent)
    assert detail.needs_review is True
    assert detail.integrations[0].region == "eu"  # nested objects too
    assert detail.agent_workflow_id == detail.workflow_id == "wf_1"
    with pytest.raises(AttributeError, match="no_such_field"):
        _ = detail.no_such_field

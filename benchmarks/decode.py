"""Decode: response bytes to typed objects, with no network involved.

Three bodies: a list page of 100 agents, one workflow with large rules and flows, and a
page of 100 messages. Contenders:

- ``bimpe_async``: what a call returns for a body: the SDK's own ``decode_envelope``
  (a cached lax ``msgspec.json.Decoder(Envelope[T])``, then linking each model to its
  place in the body so unknown fields stay readable). Checked before timing: the first
  item's ``model_raw`` must be what the body holds.
- ``bimpe_async + model_extra read``: the same, then one read of the first item's
  ``model_extra``. Unknown fields are decoded from the body on first use, once per
  response: this shows what that first use costs (the peer pays for its extras while
  validating, whether they are read or not).
- ``bare msgspec``: a plain typed ``msgspec.json.Decoder(Envelope[T])`` (strict, as
  msgspec comes), no links: the ceiling of our approach. The goal holds ours within
  1.15x of it.
- ``peer``: what the ``bimpeai`` SDK does with a body: ``json.loads`` of the text, then
  ``model_validate`` of its pydantic models item by item (and of the page meta).
- ``peer validate_json``: the peer's own pydantic models at their fastest, validated
  straight from bytes in one call; the SDK does not do this, but a reader may ask.
- ``json.loads``: plain dicts, untyped, the standard library's baseline.

Reported per contender: MB/s of body, items/s (records in ``data``), peak traced memory
per 10,000 items with the results kept alive (the body counts too, since our models
keep it for ``model_raw``), and how many times our time each contender takes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import partial
from typing import Any, Generic, TypeVar

import bimpeai
import msgspec
import pydantic

from bimpe_async._core import decode_envelope
from bimpe_async.models import Agent, Message, Workflow
from bimpe_async.models.common import Envelope

from . import payloads
from .measure import Rounds, calibrate, interleaved_cpu_per_call, peak_bytes, rotated
from .settings import Settings

T = TypeVar("T")

Decode = Callable[[bytes], object]

OURS = "bimpe_async"
OURS_EXTRA = "bimpe_async + model_extra read"
MSGSPEC = "bare msgspec (typed, no links)"
PEER = "peer"
PEER_VALIDATE_JSON = "peer validate_json"
JSON_LOADS = "json.loads"

SLICES = 10
"""Short runs each contender's measurement is made of, interleaved with the others'."""

MEMORY_BODIES = 20
"""Bodies decoded and kept for the memory figure (2,000 items on the list pages)."""


@dataclass(frozen=True)
class Case:
    """One body and the types each contender decodes it into."""

    name: str
    body: bytes
    items: int
    ours: Any
    peer_item: type[pydantic.BaseModel]
    peer_data: Any


class PeerEnvelope(pydantic.BaseModel, Generic[T]):
    """The envelope as a pydantic model, so ``validate_json`` can take a whole body."""

    message: str
    data: T
    meta: bimpeai.PaginationMeta | None = None


def ours(data_type: Any) -> Decode:
    """Our client's own decode step, ``decode_envelope`` as a call uses it: typed
    decode, then the links that keep unknown fields readable."""

    def decode(body: bytes) -> object:
        return decode_envelope(data_type, body).data

    return decode


def first(data: Any) -> Any:
    return data[0] if isinstance(data, list) else data


def ours_extra_read(data_type: Any) -> Decode:
    """``ours``, then the first item's unknown fields read once."""

    def decode(body: bytes) -> object:
        data = decode_envelope(data_type, body).data
        _ = first(data).model_extra
        return data

    return decode


def check_ours(case: Case) -> None:
    """Refuse to time ours if it no longer returns linked models: the first item's
    ``model_raw`` (unknown fields included) must be what the body holds."""
    returned = first(ours(case.ours)(case.body)).model_raw
    sent = first(msgspec.json.decode(case.body)["data"])
    if returned != sent:
        raise RuntimeError(f"{case.name}: bimpe_async's model_raw is not the body's item")


def msgspec_only(data_type: Any) -> Decode:
    decoder = msgspec.json.Decoder(Envelope[data_type])

    def decode(body: bytes) -> object:
        return decoder.decode(body).data

    return decode


def peer(model: type[pydantic.BaseModel]) -> Decode:
    """The peer SDK's decode step: text, ``json.loads``, then ``model_validate``."""

    def decode(body: bytes) -> object:
        parsed = json.loads(body.decode("utf-8"))
        if isinstance(parsed.get("meta"), dict):
            bimpeai.PaginationMeta.model_validate(parsed["meta"])
        data = parsed["data"]
        if isinstance(data, list):
            return [model.model_validate(item) for item in data]
        return model.model_validate(data)

    return decode


def peer_validate_json(data_type: Any) -> Decode:
    adapter = pydantic.TypeAdapter(PeerEnvelope[data_type])

    def decode(body: bytes) -> object:
        return adapter.validate_json(body).data

    return decode


def contenders(case: Case) -> dict[str, Decode]:
    return {
        OURS: ours(case.ours),
        OURS_EXTRA: ours_extra_read(case.ours),
        MSGSPEC: msgspec_only(case.ours),
        PEER: peer(case.peer_item),
        PEER_VALIDATE_JSON: peer_validate_json(case.peer_data),
        JSON_LOADS: json.loads,
    }


def cases() -> list[Case]:
    return [
        Case(
            "agents page (100)",
            payloads.agents_page(100),
            100,
            list[Agent],
            bimpeai.Agent,
            list[bimpeai.Agent],
        ),
        Case(
            "workflow (200 rules, 60 flows)",
            payloads.workflow_body(rules=200, flows=60),
            1,
            Workflow,
            bimpeai.Workflow,
            bimpeai.Workflow,
        ),
        Case(
            "messages page (100)",
            payloads.messages_page(100),
            100,
            list[Message],
            bimpeai.Message,
            list[bimpeai.Message],
        ),
    ]


def peak_per_10k_items(decode: Decode, case: Case, bodies: int, settings: Settings) -> float:
    """Peak bytes to decode ``bodies`` fresh copies of the body and keep the results."""

    def build() -> list[object]:
        kept = []
        for _ in range(bodies):
            # A new bytes object, as if just read from the network: a decoder that
            # keeps the body alive is charged for it, one that does not is not.
            fresh = bytes(memoryview(case.body))
            kept.append(decode(fresh))
            del fresh
        return kept

    return peak_bytes(build, collect=not settings.quick) / (bodies * case.items) * 10_000


def run_case(case: Case, settings: Settings) -> dict[str, Any]:
    check_ours(case)
    decoders = contenders(case)
    min_seconds = 0.002 if settings.quick else 0.1
    calls = {
        name: calibrate(partial(decode, case.body), min_seconds)
        for name, decode in decoders.items()
    }
    rounds = Rounds()
    for round_number in range(settings.size(full=7, quick=1)):
        order = rotated(list(decoders), round_number)
        rounds.add(
            interleaved_cpu_per_call(
                {name: partial(decoders[name], case.body) for name in order},
                calls,
                settings.size(full=SLICES, quick=1),
                collect=not settings.quick,
            )
        )
    bodies = settings.size(full=MEMORY_BODIES, quick=1)
    results = {
        name: {
            "seconds_per_body": rounds.median(name),
            "mb_per_s": len(case.body) / rounds.median(name) / 1e6,
            "items_per_s": case.items / rounds.median(name),
            "peak_mb_per_10k_items": peak_per_10k_items(decode, case, bodies, settings) / 1e6,
            "times_ours": asdict(rounds.ratio(name, OURS)),
        }
        for name, decode in decoders.items()
    }
    return {
        "bytes": len(case.body),
        "items": case.items,
        "ours_vs_msgspec": asdict(rounds.ratio(OURS, MSGSPEC)),
        "contenders": results,
    }


def run(settings: Settings) -> dict[str, Any]:
    return {case.name: run_case(case, settings) for case in cases()}

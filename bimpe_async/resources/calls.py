"""``client.calls``: an agent's phone calls (list, make, retrieve)."""

from __future__ import annotations

from typing_extensions import Unpack

from .._endpoint import Endpoint, Fields
from .._options import CallOptions
from ..models.calls import Call, CallDetail, CallStatus, MakeCallParams, MakeCallResult
from ..pagination import AsyncPage
from ._base import PAGE_QUERY, ListArgs, Resource

CALLS = "/agents/{agent_id}/calls"

LIST = Endpoint[list[Call]](
    "calls.list", "GET", CALLS, list[Call], query=(*PAGE_QUERY, "is_test_call", "status")
)
LEGACY_LIST = Endpoint[list[Call]]("calls.list", "GET", "/calls", list[Call])
"""0.1.0's team-wide list; the server answers 501 (``APINotImplementedError``)."""
MAKE = Endpoint[MakeCallResult](
    "calls.make", "POST", CALLS, MakeCallResult, body=Fields(MakeCallParams)
)
RETRIEVE = Endpoint[CallDetail]("calls.retrieve", "GET", CALLS + "/{call_id}", CallDetail)


class CallListArgs(ListArgs, total=False):
    is_test_call: bool | None
    status: CallStatus | None


class AsyncCalls(Resource):
    """``client.calls``."""

    async def list(
        self, agent_id: str | None = None, **args: Unpack[CallListArgs]
    ) -> AsyncPage[Call]:
        """A page of the agent's calls. Without ``agent_id`` this is 0.1.0's
        ``GET /calls``, which the server answers with ``APINotImplementedError``."""
        if agent_id is None:
            return await self._core.page(LEGACY_LIST, (), args)
        return await self._core.page(LIST, (agent_id,), args)

    async def make(
        self, agent_id: str, body: MakeCallParams, **options: Unpack[CallOptions]
    ) -> MakeCallResult:
        """Dial ``body["destination"]`` from the agent's number (or its test line)."""
        return await self._core.call(MAKE, (agent_id,), options, body)

    async def retrieve(
        self, agent_id: str, call_id: str, **options: Unpack[CallOptions]
    ) -> CallDetail:
        return await self._core.call(RETRIEVE, (agent_id, call_id), options)

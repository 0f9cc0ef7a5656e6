"""An agent's calls (``A/calls``), and the 0.1.0 path ``GET /calls``, still unimplemented.

How a new call turns out is described in ``calls.py``.
"""

from __future__ import annotations

from aiohttp import web

from .context import PREFIX, state
from .envelope import ok
from .errors import ApiError
from .fields_telephony import call_fields
from .models import view
from .models_telephony import CALL_STATUSES, Call, CallDetail
from .pagination import list_query, paginate
from .routes_agents import AGENT
from .validation import BodyReader, Problems, json_object

CALLS = AGENT + "/calls"
SORTABLE = ("created_on", "status", "destination", "duration_seconds")

routes = web.RouteTableDef()


def _searchable(call: CallDetail) -> tuple[str | None, ...]:
    return call.destination, call.source


@routes.get(PREFIX + "/calls")
async def list_calls_legacy(request: web.Request) -> web.Response:
    """What API 0.1.0 offered; 0.4.1 lists calls per agent instead."""
    raise ApiError(501, "not_implemented", "Calls are not available yet")


@routes.get(CALLS)
async def list_calls(request: web.Request) -> web.Response:
    problems = Problems()
    query = list_query(request.query, problems, sortable=SORTABLE, default_sort="-created_on")
    reader = BodyReader(request.query, problems)
    is_test_call = reader.query_flag("is_test_call")
    status = reader.choice("status", CALL_STATUSES)
    problems.raise_if_any()
    calls = [
        call
        for call in state(request).calls.of(request.match_info["agent_id"])
        if (is_test_call is None or call.is_test_call is is_test_call)
        and (status is None or call.status == status)
    ]
    page, meta = paginate(calls, query, _searchable)
    return ok([view(Call, call) for call in page], meta=meta)


@routes.post(CALLS)
async def make_call(request: web.Request) -> web.Response:
    destination, is_test_call = call_fields(await json_object(request))
    store = state(request)
    agent_id = request.match_info["agent_id"]
    line = store.phone_numbers.line_of(agent_id)
    return ok(store.calls.dial(agent_id, destination, is_test_call=is_test_call, line=line))


@routes.get(CALLS + "/{call_id}")
async def get_call(request: web.Request) -> web.Response:
    agent_id, call_id = request.match_info["agent_id"], request.match_info["call_id"]
    return ok(state(request).calls.get(agent_id, call_id))

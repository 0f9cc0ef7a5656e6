"""Agents and the read-only lists hanging off each agent."""

from __future__ import annotations

from aiohttp import web

from .context import PREFIX, state
from .envelope import ok
from .fields import agent_fields
from .models import Agent
from .pagination import list_query, paginate
from .validation import Problems, json_object

AGENTS = PREFIX + "/agents"
AGENT = AGENTS + "/{agent_id}"
SORTABLE = ("created_at", "updated_at", "name", "status")

routes = web.RouteTableDef()


def _searchable(agent: Agent) -> tuple[str | None, ...]:
    return agent.name, agent.description


@routes.get(AGENTS)
async def list_agents(request: web.Request) -> web.Response:
    problems = Problems()
    query = list_query(request.query, problems, sortable=SORTABLE, default_sort="-created_at")
    problems.raise_if_any()
    page, meta = paginate(state(request).agents.values(), query, _searchable)
    return ok(page, meta=meta)


@routes.post(AGENTS)
async def create_agent(request: web.Request) -> web.Response:
    store = state(request)
    fields = agent_fields(await json_object(request), store.new_id, creating=True)
    return ok(store.create_agent(fields), status=201)


@routes.get(AGENT)
async def get_agent(request: web.Request) -> web.Response:
    return ok(state(request).agent_detail(request.match_info["agent_id"]))


@routes.patch(AGENT)
async def update_agent(request: web.Request) -> web.Response:
    store = state(request)
    changes = agent_fields(await json_object(request), store.new_id, creating=False)
    return ok(store.update_agent(request.match_info["agent_id"], changes))


@routes.get(AGENT + "/integrations")
async def list_integrations(request: web.Request) -> web.Response:
    return ok(state(request).setup(request.match_info["agent_id"]).integrations)


@routes.get(AGENT + "/channels")
async def list_channels(request: web.Request) -> web.Response:
    return ok(state(request).setup(request.match_info["agent_id"]).channels)


@routes.get(AGENT + "/conversation_flows")
async def list_conversation_flows(request: web.Request) -> web.Response:
    return ok(state(request).setup(request.match_info["agent_id"]).conversation_flows)


@routes.get(AGENT + "/actions")
async def list_actions(request: web.Request) -> web.Response:
    return ok(state(request).setup(request.match_info["agent_id"]).actions)

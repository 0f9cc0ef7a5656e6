"""Agents, their live status and test code, channels, actions, and 0.1.0's flow list.

An agent names the workflow it was made from; a ``workflow_id`` this key may not
read (its own or a public one) is a 404, like any lookup by id.
"""

from __future__ import annotations

import msgspec
from aiohttp import web

from .context import PREFIX, api_key, quirks, state
from .deployment import agent_test_code
from .envelope import ok
from .fields import action_ids, agent_fields, live_status_fields
from .models import Agent, AgentCreateResponse, BulkActionUpdate
from .pagination import list_query, paginate
from .routes_workflows import present
from .validation import Problems, json_object

AGENTS = PREFIX + "/agents"
AGENT = AGENTS + "/{agent_id}"
SORTABLE = ("created_at", "updated_at", "name", "status")

routes = web.RouteTableDef()


def _searchable(agent: Agent) -> tuple[str | None, ...]:
    return agent.name, agent.description


def _agent_id(request: web.Request) -> str:
    return request.match_info["agent_id"]


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
    legacy = quirks(request).legacy_bodies
    fields = agent_fields(await json_object(request), creating=True, legacy=legacy)
    workflow = None
    if fields.get("workflow_id") is not None:
        workflow = present(request, store.workflow(fields["workflow_id"], api_key(request)))
    agent = store.create_agent(fields)
    return ok(AgentCreateResponse(**msgspec.structs.asdict(agent), workflow=workflow), status=201)


@routes.get(AGENT)
async def get_agent(request: web.Request) -> web.Response:
    return ok(state(request).agent_detail(_agent_id(request)))


@routes.patch(AGENT)
async def update_agent(request: web.Request) -> web.Response:
    store = state(request)
    legacy = quirks(request).legacy_bodies
    changes = agent_fields(await json_object(request), creating=False, legacy=legacy)
    store.agent(_agent_id(request))
    if changes.get("workflow_id") is not None:
        store.workflow(changes["workflow_id"], api_key(request))
    return ok(store.update_agent(_agent_id(request), changes))


@routes.delete(AGENT)
async def delete_agent(request: web.Request) -> web.Response:
    state(request).delete_agent(_agent_id(request))
    return ok(None)


@routes.patch(AGENT + "/live-status")
async def update_live_status(request: web.Request) -> web.Response:
    status, reason = live_status_fields(await json_object(request))
    return ok(state(request).set_live_status(_agent_id(request), status, reason))


@routes.get(AGENT + "/deployment/agent-test-code")
async def get_test_code(request: web.Request) -> web.Response:
    return ok(agent_test_code(state(request), _agent_id(request)))


@routes.get(AGENT + "/channels")
async def list_channels(request: web.Request) -> web.Response:
    return ok(state(request).setup(_agent_id(request)).channels)


@routes.get(AGENT + "/conversation_flows")
async def list_conversation_flows(request: web.Request) -> web.Response:
    """Gone from API 0.4.1; still served for 0.1.0-era clients."""
    return ok(state(request).setup(_agent_id(request)).conversation_flows)


@routes.get(AGENT + "/actions")
async def list_actions(request: web.Request) -> web.Response:
    return ok(state(request).integrations.agent_actions(_agent_id(request)))


async def _switch_actions(request: web.Request, enabled: bool) -> web.Response:
    ids = action_ids(await json_object(request))
    count = state(request).integrations.set_enabled(_agent_id(request), ids, enabled)
    return ok(BulkActionUpdate(updated_count=count))


@routes.post(AGENT + "/actions/enable")
async def enable_actions(request: web.Request) -> web.Response:
    return await _switch_actions(request, True)


@routes.post(AGENT + "/actions/disable")
async def disable_actions(request: web.Request) -> web.Response:
    return await _switch_actions(request, False)

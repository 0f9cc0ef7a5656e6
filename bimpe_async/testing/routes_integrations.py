"""An agent's integrations: the combined list, and each family's own routes.

In every family ``POST .../configure`` is registered before the ``.../{integration_id}``
routes, so ``configure`` is never taken for an integration id. An id of one family
is not found under another family's path.
"""

from __future__ import annotations

from aiohttp import web

from . import family_ops
from .context import state
from .envelope import ok
from .fields_integrations import (
    bimpeai_fields,
    custom_api_fields,
    mcp_server_fields,
    pipedream_fields,
    tool_fields,
)
from .integrations import Integrations, StoredIntegration
from .routes_agents import AGENT
from .validation import json_object

INTEGRATIONS = AGENT + "/integrations"
BIMPEAI = INTEGRATIONS + "/bimpeai"
CUSTOM_API = INTEGRATIONS + "/custom_api"
CUSTOM_API_ONE = CUSTOM_API + "/{integration_id}"
MCP_SERVER = INTEGRATIONS + "/mcp_server"
MCP_SERVER_ONE = MCP_SERVER + "/{integration_id}"
PIPEDREAM = INTEGRATIONS + "/pipedream"

routes = web.RouteTableDef()


def _store(request: web.Request) -> Integrations:
    return state(request).integrations


def _agent_id(request: web.Request) -> str:
    return request.match_info["agent_id"]


def _one(request: web.Request, family: str) -> StoredIntegration:
    return _store(request).get(_agent_id(request), family, request.match_info["integration_id"])


def _disconnect(request: web.Request, family: str) -> web.Response:
    _store(request).remove(_agent_id(request), family, request.match_info["integration_id"])
    return ok(None)


@routes.get(INTEGRATIONS)
async def list_integrations(request: web.Request) -> web.Response:
    return ok([item.full() for item in _store(request).of(_agent_id(request))])


# bimpeai


@routes.get(BIMPEAI)
async def list_bimpeai(request: web.Request) -> web.Response:
    return ok(family_ops.bimpeai_list(_store(request), _agent_id(request)))


@routes.post(BIMPEAI + "/configure")
async def configure_bimpeai(request: web.Request) -> web.Response:
    fields = bimpeai_fields(await json_object(request))
    return ok(family_ops.configure_bimpeai(_store(request), _agent_id(request), fields))


@routes.delete(BIMPEAI + "/{integration_id}")
async def disconnect_bimpeai(request: web.Request) -> web.Response:
    return _disconnect(request, "bimpeai")


# custom_api


@routes.get(CUSTOM_API)
async def list_custom_apis(request: web.Request) -> web.Response:
    items = _store(request).of(_agent_id(request), "custom_api")
    return ok([family_ops.custom_api_view(item) for item in items])


@routes.post(CUSTOM_API + "/configure")
async def configure_custom_api(request: web.Request) -> web.Response:
    fields = custom_api_fields(await json_object(request))
    store = _store(request)
    added = store.create(family_ops.custom_api(_agent_id(request), fields, store.new_id))
    return ok(family_ops.custom_api_view(added), status=201)


@routes.delete(CUSTOM_API_ONE)
async def disconnect_custom_api(request: web.Request) -> web.Response:
    return _disconnect(request, "custom_api")


@routes.get(CUSTOM_API_ONE + "/tools")
async def list_custom_api_tools(request: web.Request) -> web.Response:
    return ok(family_ops.tools(_one(request, "custom_api")))


@routes.post(CUSTOM_API_ONE + "/tools")
async def add_custom_api_tool(request: web.Request) -> web.Response:
    definition = tool_fields(await json_object(request))
    integration = _one(request, "custom_api")
    tool = family_ops.custom_tool(integration, definition, _store(request).new_id)
    return ok(tool.tool(), status=201)


@routes.delete(CUSTOM_API_ONE + "/tools/{tool_id}")
async def delete_custom_api_tool(request: web.Request) -> web.Response:
    family_ops.delete_tool(_one(request, "custom_api"), request.match_info["tool_id"])
    return ok(None)


# mcp_server


@routes.get(MCP_SERVER)
async def list_mcp_servers(request: web.Request) -> web.Response:
    items = _store(request).of(_agent_id(request), "mcp_server")
    return ok([family_ops.mcp_view(item) for item in items])


@routes.post(MCP_SERVER + "/configure")
async def configure_mcp_server(request: web.Request) -> web.Response:
    fields = mcp_server_fields(await json_object(request))
    store = _store(request)
    added = store.create(family_ops.mcp_server(_agent_id(request), fields, store.new_id))
    return ok(family_ops.mcp_view(added), status=201)


@routes.delete(MCP_SERVER_ONE)
async def disconnect_mcp_server(request: web.Request) -> web.Response:
    return _disconnect(request, "mcp_server")


@routes.post(MCP_SERVER_ONE + "/discover")
async def discover_mcp_tools(request: web.Request) -> web.Response:
    integration = _one(request, "mcp_server")
    return ok(family_ops.discover(integration, _store(request).new_id))


@routes.post(MCP_SERVER_ONE + "/test")
async def test_mcp_server(request: web.Request) -> web.Response:
    return ok(family_ops.probe(_one(request, "mcp_server")))


@routes.get(MCP_SERVER_ONE + "/tools")
async def list_mcp_tools(request: web.Request) -> web.Response:
    return ok(family_ops.tools(_one(request, "mcp_server")))


# pipedream


@routes.get(PIPEDREAM)
async def list_pipedream(request: web.Request) -> web.Response:
    items = _store(request).of(_agent_id(request), "pipedream")
    return ok([family_ops.pipedream_view(item) for item in items])


@routes.post(PIPEDREAM + "/configure")
async def configure_pipedream(request: web.Request) -> web.Response:
    fields = pipedream_fields(await json_object(request))
    return ok(family_ops.configure_pipedream(_store(request), _agent_id(request), fields))


@routes.delete(PIPEDREAM + "/{integration_id}")
async def disconnect_pipedream(request: web.Request) -> web.Response:
    return _disconnect(request, "pipedream")

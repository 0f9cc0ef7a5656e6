"""An agent's knowledge bases: the text and web pages it answers from."""

from __future__ import annotations

from aiohttp import web

from .context import state
from .envelope import ok
from .fields import knowledge_base_changes, new_knowledge_base_fields
from .routes_agents import AGENT
from .validation import json_object

KNOWLEDGE_BASES = AGENT + "/knowledge_bases"
KNOWLEDGE_BASE = KNOWLEDGE_BASES + "/{kb_id}"

routes = web.RouteTableDef()


@routes.get(KNOWLEDGE_BASES)
async def list_knowledge_bases(request: web.Request) -> web.Response:
    return ok(state(request).knowledge_bases_of(request.match_info["agent_id"]))


@routes.post(KNOWLEDGE_BASES)
async def create_knowledge_base(request: web.Request) -> web.Response:
    fields = new_knowledge_base_fields(await json_object(request))
    kb = state(request).create_knowledge_base(request.match_info["agent_id"], fields)
    return ok(kb, status=201)


@routes.patch(KNOWLEDGE_BASE)
async def update_knowledge_base(request: web.Request) -> web.Response:
    changes = knowledge_base_changes(await json_object(request))
    agent_id, kb_id = request.match_info["agent_id"], request.match_info["kb_id"]
    return ok(state(request).update_knowledge_base(agent_id, kb_id, changes))


@routes.delete(KNOWLEDGE_BASE)
async def delete_knowledge_base(request: web.Request) -> web.Response:
    state(request).delete_knowledge_base(
        request.match_info["agent_id"], request.match_info["kb_id"]
    )
    return ok(None)

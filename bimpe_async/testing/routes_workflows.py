"""Workflows: reusable agent blueprints, private to their creator's key or public.

``POST /workflows/clone`` is registered before the ``/workflows/{workflow_id}``
routes, so ``clone`` is never taken for a workflow id.
"""

from __future__ import annotations

from aiohttp import web

from .context import PREFIX, api_key, quirks, state
from .envelope import ok
from .fields_workflows import clone_source, workflow_fields
from .models_workflows import Workflow
from .pagination import list_query, paginate
from .quirks import with_placeholders
from .validation import BodyReader, Problems, json_object

WORKFLOWS = PREFIX + "/workflows"
WORKFLOW = WORKFLOWS + "/{workflow_id}"
SORTABLE = ("created_at", "updated_at", "name", "category")
SCOPES = ("owned", "public", "accessible")

routes = web.RouteTableDef()


def present(request: web.Request, workflow: Workflow) -> Workflow:
    """A workflow as it goes on the wire: with placeholders when that quirk is on."""
    return with_placeholders(workflow) if quirks(request).workflow_placeholders else workflow


def _searchable(workflow: Workflow) -> tuple[str | None, ...]:
    return workflow.name, workflow.description


@routes.get(WORKFLOWS)
async def list_workflows(request: web.Request) -> web.Response:
    problems = Problems()
    query = list_query(request.query, problems, sortable=SORTABLE, default_sort="-created_at")
    scope = BodyReader(request.query, problems).choice("scope", SCOPES) or "owned"
    problems.raise_if_any()
    workflows = state(request).workflows_for(api_key(request), scope)
    page, meta = paginate(workflows, query, _searchable)
    return ok([present(request, workflow) for workflow in page], meta=meta)


@routes.post(WORKFLOWS)
async def create_workflow(request: web.Request) -> web.Response:
    store = state(request)
    legacy = quirks(request).legacy_bodies
    fields = workflow_fields(await json_object(request), store.new_id, creating=True, legacy=legacy)
    return ok(present(request, store.create_workflow(api_key(request), fields)), status=201)


@routes.post(WORKFLOWS + "/clone")
async def clone_workflow(request: web.Request) -> web.Response:
    source = clone_source(await json_object(request))
    return ok(present(request, state(request).clone_workflow(source, api_key(request))), status=201)


@routes.get(WORKFLOW)
async def get_workflow(request: web.Request) -> web.Response:
    workflow = state(request).workflow(request.match_info["workflow_id"], api_key(request))
    return ok(present(request, workflow))


@routes.patch(WORKFLOW)
async def update_workflow(request: web.Request) -> web.Response:
    store = state(request)
    legacy = quirks(request).legacy_bodies
    body = await json_object(request)
    changes = workflow_fields(body, store.new_id, creating=False, legacy=legacy)
    workflow_id = request.match_info["workflow_id"]
    return ok(present(request, store.update_workflow(workflow_id, api_key(request), changes)))


@routes.delete(WORKFLOW)
async def delete_workflow(request: web.Request) -> web.Response:
    state(request).delete_workflow(request.match_info["workflow_id"], api_key(request))
    return ok(None)

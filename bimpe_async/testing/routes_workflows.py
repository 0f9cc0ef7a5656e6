"""Workflows: reusable agent blueprints, private to their creator's key or public."""

from __future__ import annotations

from aiohttp import web

from .context import PREFIX, api_key, state
from .envelope import ok
from .fields import workflow_fields
from .models import Workflow, WorkflowSummary
from .pagination import list_query, paginate
from .validation import BodyReader, Problems, json_object

WORKFLOWS = PREFIX + "/workflows"
WORKFLOW = WORKFLOWS + "/{workflow_id}"
SORTABLE = ("created_at", "updated_at", "name", "category")
SCOPES = ("owned", "public")

routes = web.RouteTableDef()


def _searchable(workflow: Workflow) -> tuple[str | None, ...]:
    return workflow.name, workflow.description


def _summary(workflow: Workflow) -> WorkflowSummary:
    fields = {name: getattr(workflow, name) for name in WorkflowSummary.__struct_fields__}
    return WorkflowSummary(**fields)


@routes.get(WORKFLOWS)
async def list_workflows(request: web.Request) -> web.Response:
    problems = Problems()
    query = list_query(request.query, problems, sortable=SORTABLE, default_sort="-created_at")
    scope = BodyReader(request.query, problems).choice("scope", SCOPES) or "owned"
    problems.raise_if_any()
    workflows = state(request).workflows_for(api_key(request), scope)
    page, meta = paginate(workflows, query, _searchable)
    return ok([_summary(workflow) for workflow in page], meta=meta)


@routes.post(WORKFLOWS)
async def create_workflow(request: web.Request) -> web.Response:
    store = state(request)
    fields = workflow_fields(await json_object(request), store.new_id, creating=True)
    return ok(store.create_workflow(api_key(request), fields), status=201)


@routes.get(WORKFLOW)
async def get_workflow(request: web.Request) -> web.Response:
    return ok(state(request).workflow(request.match_info["workflow_id"], api_key(request)))


@routes.patch(WORKFLOW)
async def update_workflow(request: web.Request) -> web.Response:
    store = state(request)
    changes = workflow_fields(await json_object(request), store.new_id, creating=False)
    workflow_id = request.match_info["workflow_id"]
    return ok(store.update_workflow(workflow_id, api_key(request), changes))


@routes.delete(WORKFLOW)
async def delete_workflow(request: web.Request) -> web.Response:
    state(request).delete_workflow(request.match_info["workflow_id"], api_key(request))
    return ok(None)

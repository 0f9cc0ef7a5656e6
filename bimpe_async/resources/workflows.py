"""``client.workflows``: list, create, clone, retrieve, update and delete workflows."""

from __future__ import annotations

from typing import Literal

from typing_extensions import Unpack

from .._endpoint import Endpoint, Fields
from .._options import CallOptions
from ..models.workflows import (
    CloneWorkflowParams,
    CreateWorkflowParams,
    UpdateWorkflowParams,
    Workflow,
)
from ..pagination import AsyncPage
from ._base import PAGE_QUERY, ListArgs, Resource

WORKFLOW = "/workflows/{workflow_id}"

LIST = Endpoint[list[Workflow]](
    "workflows.list", "GET", "/workflows", list[Workflow], query=(*PAGE_QUERY, "scope")
)
CREATE = Endpoint[Workflow](
    "workflows.create", "POST", "/workflows", Workflow, body=Fields(CreateWorkflowParams)
)
CLONE = Endpoint[Workflow](
    "workflows.clone", "POST", "/workflows/clone", Workflow, body=Fields(CloneWorkflowParams)
)
RETRIEVE = Endpoint[Workflow]("workflows.retrieve", "GET", WORKFLOW, Workflow)
UPDATE = Endpoint[Workflow](
    "workflows.update", "PATCH", WORKFLOW, Workflow, body=Fields(UpdateWorkflowParams)
)
DELETE = Endpoint[None]("workflows.delete", "DELETE", WORKFLOW, None)


class WorkflowListArgs(ListArgs, total=False):
    scope: Literal["owned", "public", "accessible"] | None
    """Your workflows (``owned``, the server's default), ``public`` ones, or both."""


class CreateWorkflowArgs(CreateWorkflowParams, CallOptions, total=False):
    pass


class CloneWorkflowArgs(CloneWorkflowParams, CallOptions, total=False):
    pass


class UpdateWorkflowArgs(UpdateWorkflowParams, CallOptions, total=False):
    pass


class AsyncWorkflows(Resource):
    """``client.workflows``."""

    async def list(self, **args: Unpack[WorkflowListArgs]) -> AsyncPage[Workflow]:
        return await self._core.page(LIST, (), args)

    async def create(self, **args: Unpack[CreateWorkflowArgs]) -> Workflow:
        """Create a workflow: ``name`` and ``system_prompt``, then what you need."""
        return await self._core.call(CREATE, (), args)

    async def clone(self, **args: Unpack[CloneWorkflowArgs]) -> Workflow:
        """A copy of ``source_workflow_id`` owned by your team."""
        return await self._core.call(CLONE, (), args)

    async def retrieve(self, workflow_id: str, **options: Unpack[CallOptions]) -> Workflow:
        return await self._core.call(RETRIEVE, (workflow_id,), options)

    async def update(self, workflow_id: str, **args: Unpack[UpdateWorkflowArgs]) -> Workflow:
        return await self._core.call(UPDATE, (workflow_id,), args)

    async def delete(self, workflow_id: str, **options: Unpack[CallOptions]) -> None:
        return await self._core.call(DELETE, (workflow_id,), options)

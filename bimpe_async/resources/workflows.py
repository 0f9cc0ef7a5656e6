"""``client.workflows``: list, create, retrieve, update and delete workflows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from typing_extensions import Unpack

from .._endpoint import Endpoint
from ..models.workflows import (
    CreateWorkflowParams,
    UpdateWorkflowParams,
    Workflow,
    WorkflowSummary,
)
from ..pagination import AsyncPage
from ._base import Resource, checked_body, write_options

LIST = Endpoint[list[WorkflowSummary]]("GET", "/workflows", list[WorkflowSummary])
CREATE = Endpoint[Workflow]("POST", "/workflows", Workflow)
RETRIEVE = Endpoint[Workflow]("GET", "/workflows/{workflow_id}", Workflow)
UPDATE = Endpoint[Workflow]("PATCH", "/workflows/{workflow_id}", Workflow)
DELETE = Endpoint[None]("DELETE", "/workflows/{workflow_id}", None)


class AsyncWorkflows(Resource):
    """``client.workflows``."""

    async def list(
        self,
        *,
        scope: Literal["owned", "public"] | None = None,
        search: str | None = None,
        sort: str | None = None,
        page: int = 1,
        limit: int | None = None,
    ) -> AsyncPage[WorkflowSummary]:
        """Your workflows (``scope="owned"``, the server's default) or public ones."""
        return await self._core.page(
            LIST,
            query={"page": page, "limit": limit, "search": search, "sort": sort, "scope": scope},
        )

    async def create(
        self,
        *,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
        **fields: Unpack[CreateWorkflowParams],
    ) -> Workflow:
        """Create a workflow; only ``name`` is required."""
        return await self._core.call(
            CREATE,
            body=checked_body(CreateWorkflowParams, dict(fields), "workflows.create"),
            options=write_options(idempotency_key, timeout, max_retries, headers),
        )

    async def retrieve(self, workflow_id: str) -> Workflow:
        return await self._core.call(RETRIEVE, {"workflow_id": workflow_id})

    async def update(
        self,
        workflow_id: str,
        *,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
        **fields: Unpack[UpdateWorkflowParams],
    ) -> Workflow:
        return await self._core.call(
            UPDATE,
            {"workflow_id": workflow_id},
            body=checked_body(UpdateWorkflowParams, dict(fields), "workflows.update"),
            options=write_options(idempotency_key, timeout, max_retries, headers),
        )

    async def delete(
        self,
        workflow_id: str,
        *,
        idempotency_key: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        await self._core.call(
            DELETE,
            {"workflow_id": workflow_id},
            options=write_options(idempotency_key, timeout, max_retries, headers),
        )

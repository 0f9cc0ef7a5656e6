"""``client.calls``: wired to ``GET /calls``, which the server answers 501 for now."""

from __future__ import annotations

from .._endpoint import Endpoint
from ..models.calls import Call
from ..pagination import AsyncPage
from ._base import Resource

LIST = Endpoint[list[Call]]("GET", "/calls", list[Call])


class AsyncCalls(Resource):
    """``client.calls``."""

    async def list(self, *, page: int = 1, limit: int | None = None) -> AsyncPage[Call]:
        """Raises ``APINotImplementedError`` (501) until the server serves calls."""
        return await self._core.page(LIST, query={"page": page, "limit": limit})

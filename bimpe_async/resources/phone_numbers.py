"""``client.phone_numbers``: the team's numbers, and requests for new ones."""

from __future__ import annotations

from typing_extensions import Unpack

from .._core import Core
from .._endpoint import Endpoint, Fields
from .._options import CallOptions
from ..models.phone_numbers import (
    CreatePhoneNumberRequestParams,
    PhoneNumber,
    PhoneNumberDetail,
    PhoneNumberRequest,
    UpdatePhoneNumberParams,
)
from ..pagination import AsyncPage
from ._base import PAGE_QUERY, ListArgs, Resource

NUMBERS = "/phone-numbers"
NUMBER = NUMBERS + "/{phone_number_id}"
REQUESTS = NUMBERS + "/request"

LIST = Endpoint[list[PhoneNumber]](
    "phone_numbers.list", "GET", NUMBERS, list[PhoneNumber], query=PAGE_QUERY
)
RETRIEVE = Endpoint[PhoneNumberDetail]("phone_numbers.retrieve", "GET", NUMBER, PhoneNumberDetail)
UPDATE = Endpoint[PhoneNumberDetail](
    "phone_numbers.update",
    "PATCH",
    NUMBER,
    PhoneNumberDetail,
    body=Fields(UpdatePhoneNumberParams),
)
REQUEST_LIST = Endpoint[list[PhoneNumberRequest]](
    "phone_numbers.requests.list", "GET", REQUESTS, list[PhoneNumberRequest], query=PAGE_QUERY
)
REQUEST_CREATE = Endpoint[None](
    "phone_numbers.requests.create",
    "POST",
    REQUESTS,
    None,
    body=Fields(CreatePhoneNumberRequestParams),
)


class UpdatePhoneNumberArgs(UpdatePhoneNumberParams, CallOptions, total=False):
    pass


class CreatePhoneNumberRequestArgs(CreatePhoneNumberRequestParams, CallOptions, total=False):
    pass


class AsyncPhoneNumberRequests(Resource):
    """``client.phone_numbers.requests``: asking BimpeAI for a new number."""

    async def list(self, **args: Unpack[ListArgs]) -> AsyncPage[PhoneNumberRequest]:
        return await self._core.page(REQUEST_LIST, (), args)

    async def create(self, **args: Unpack[CreatePhoneNumberRequestArgs]) -> None:
        """Ask for a number; BimpeAI fulfils it (it then appears in ``list``)."""
        return await self._core.call(REQUEST_CREATE, (), args)


class AsyncPhoneNumbers(Resource):
    """``client.phone_numbers``."""

    def __init__(self, core: Core) -> None:
        super().__init__(core)
        self.requests = AsyncPhoneNumberRequests(core)

    async def list(self, **args: Unpack[ListArgs]) -> AsyncPage[PhoneNumber]:
        return await self._core.page(LIST, (), args)

    async def retrieve(
        self, phone_number_id: str, **options: Unpack[CallOptions]
    ) -> PhoneNumberDetail:
        return await self._core.call(RETRIEVE, (phone_number_id,), options)

    async def update(
        self, phone_number_id: str, **args: Unpack[UpdatePhoneNumberArgs]
    ) -> PhoneNumberDetail:
        """Set ``label``, or link the number to ``agent_id`` (``None`` unlinks it)."""
        return await self._core.call(UPDATE, (phone_number_id,), args)

"""The team's phone numbers and its requests for new ones (not agent-scoped).

``/phone-numbers/request`` is registered before ``/phone-numbers/{phone_number_id}``,
so ``request`` is never taken for a number id (both answer ``GET``).
"""

from __future__ import annotations

from aiohttp import web

from .context import PREFIX, state
from .envelope import ok
from .fields_telephony import number_request_fields, phone_number_changes
from .models import view
from .models_telephony import PhoneNumber, PhoneNumberDetail, PhoneNumberRequest
from .pagination import list_query, paginate
from .validation import Problems, json_object

PHONE_NUMBERS = PREFIX + "/phone-numbers"
REQUESTS = PHONE_NUMBERS + "/request"
PHONE_NUMBER = PHONE_NUMBERS + "/{phone_number_id}"
NUMBER_SORTS = ("created_at", "updated_at", "e164", "label")
REQUEST_SORTS = ("created_at", "updated_at", "status", "business_name")

routes = web.RouteTableDef()


def _number_text(number: PhoneNumberDetail) -> tuple[str | None, ...]:
    return number.e164, number.label


def _request_text(request: PhoneNumberRequest) -> tuple[str | None, ...]:
    return request.business_name, request.intended_use, request.e164


@routes.get(PHONE_NUMBERS)
async def list_phone_numbers(request: web.Request) -> web.Response:
    problems = Problems()
    query = list_query(request.query, problems, sortable=NUMBER_SORTS, default_sort="created_at")
    problems.raise_if_any()
    numbers = state(request).phone_numbers.numbers.values()
    page, meta = paginate(numbers, query, _number_text)
    return ok([view(PhoneNumber, number) for number in page], meta=meta)


@routes.get(REQUESTS)
async def list_number_requests(request: web.Request) -> web.Response:
    problems = Problems()
    query = list_query(request.query, problems, sortable=REQUEST_SORTS, default_sort="-created_at")
    problems.raise_if_any()
    page, meta = paginate(state(request).phone_numbers.requests.values(), query, _request_text)
    return ok(page, meta=meta)


@routes.post(REQUESTS)
async def request_number(request: web.Request) -> web.Response:
    """Files the request; the API answers with no data (``data: null``)."""
    state(request).phone_numbers.request_number(number_request_fields(await json_object(request)))
    return ok(None)


@routes.get(PHONE_NUMBER)
async def get_phone_number(request: web.Request) -> web.Response:
    return ok(state(request).phone_numbers.number(request.match_info["phone_number_id"]))


@routes.patch(PHONE_NUMBER)
async def update_phone_number(request: web.Request) -> web.Response:
    changes = phone_number_changes(await json_object(request))
    number_id = request.match_info["phone_number_id"]
    return ok(state(request).phone_numbers.update(number_id, changes))

"""Phone numbers of the team, and requests for new ones."""

from typing import Literal

from typing_extensions import NotRequired, TypedDict

from .base import Model


class PhoneNumber(Model, frozen=True):
    """A number of the team; ``agent_id`` is the agent it rings (and dials out for)."""

    id: str
    e164: str | None = None
    agent_id: str | None = None
    label: str | None = None


class PhoneNumberDetail(PhoneNumber, frozen=True):
    created_at: str | None = None
    updated_at: str | None = None
    inbound_enabled: bool = False


class PhoneNumberRequest(Model, frozen=True):
    """A request for a new number; a pending one has no ``e164`` yet."""

    id: str
    status: str | None = None
    business_name: str | None = None
    intended_use: str | None = None
    region: str | None = None
    e164: str | None = None
    agent_id: str | None = None
    label: str | None = None
    agent_count: int | None = None
    outbound_minutes: int | None = None
    created_at: str | None = None
    updated_at: str | None = None


class UpdatePhoneNumberParams(TypedDict, total=False):
    """``agent_id=None`` unassigns the number (sent as JSON null)."""

    agent_id: str | None
    label: str


class CreatePhoneNumberRequestParams(TypedDict):
    business_name: str
    intended_use: str
    region: Literal["us", "uk", "eu", "ng"]
    agent_count: int
    outbound_minutes: int
    submitted_by_agent_id: NotRequired[str]

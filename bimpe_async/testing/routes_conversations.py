"""An agent's conversations, their messages, and tickets for the message stream."""

from __future__ import annotations

from aiohttp import web

from .context import state
from .envelope import ok
from .fields import message_fields
from .models import CHANNEL_TYPES, Conversation, Message
from .pagination import list_query, paginate
from .routes_agents import AGENT
from .validation import BodyReader, Problems, json_object

CONVERSATIONS = AGENT + "/conversations"
CONVERSATION = CONVERSATIONS + "/{conversation_id}"
CONVERSATION_SORTS = ("created_at", "updated_at", "last_message_at", "full_name", "channel_type")
MESSAGE_SORTS = ("created_at", "role")

routes = web.RouteTableDef()


def _conversation_text(conversation: Conversation) -> tuple[str | None, ...]:
    return (
        conversation.full_name,
        conversation.email,
        conversation.phone_number,
        conversation.channel_username,
        conversation.last_message_preview,
    )


def _message_text(message: Message) -> tuple[str | None, ...]:
    return (message.message,)


def _ids(request: web.Request) -> tuple[str, str]:
    return request.match_info["agent_id"], request.match_info["conversation_id"]


@routes.get(CONVERSATIONS)
async def list_conversations(request: web.Request) -> web.Response:
    problems = Problems()
    query = list_query(
        request.query, problems, sortable=CONVERSATION_SORTS, default_sort="-created_at"
    )
    channel = BodyReader(request.query, problems).choice("channel", CHANNEL_TYPES)
    problems.raise_if_any()
    conversations = state(request).conversations_of(request.match_info["agent_id"])
    if channel is not None:
        conversations = [item for item in conversations if item.channel_type == channel]
    page, meta = paginate(conversations, query, _conversation_text)
    return ok(page, meta=meta)


@routes.get(CONVERSATION)
async def get_conversation(request: web.Request) -> web.Response:
    return ok(state(request).conversation(*_ids(request)))


@routes.get(CONVERSATION + "/messages")
async def list_messages(request: web.Request) -> web.Response:
    problems = Problems()
    query = list_query(request.query, problems, sortable=MESSAGE_SORTS, default_sort="created_at")
    problems.raise_if_any()
    page, meta = paginate(state(request).messages_of(*_ids(request)), query, _message_text)
    return ok(page, meta=meta)


@routes.post(CONVERSATION + "/messages")
async def send_message(request: web.Request) -> web.Response:
    text, attachments = message_fields(await json_object(request))
    message = state(request).add_message(*_ids(request), text, attachments)
    return ok(message, status=201)


@routes.post(CONVERSATION + "/stream-ticket")
async def issue_stream_ticket(request: web.Request) -> web.Response:
    return ok(state(request).issue_ticket(*_ids(request)))

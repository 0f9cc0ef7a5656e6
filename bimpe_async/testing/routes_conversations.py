"""An agent's conversations, their messages, and tickets for the message stream.

``POST .../conversations/messages`` (start or continue a conversation) is registered
before the ``.../conversations/{conversation_id}`` routes, so ``messages`` is never
taken for a conversation id.
"""

from __future__ import annotations

from aiohttp import web

from .context import quirks, state
from .envelope import ok
from .fields import message_fields, send_fields
from .models import (
    CHANNEL_FILTERS,
    LEGACY_CHANNEL_FILTERS,
    Conversation,
    ConversationDetail,
    Message,
    view,
)
from .pagination import list_query, paginate
from .routes_agents import AGENT
from .validation import BodyReader, Problems, json_object

CONVERSATIONS = AGENT + "/conversations"
CONVERSATION = CONVERSATIONS + "/{conversation_id}"
CONVERSATION_SORTS = (
    "created_at",
    "updated_at",
    "last_message_at",
    "last_seen",
    "full_name",
    "channel_type",
)
MESSAGE_SORTS = ("created_at", "role")
FLAG_FILTERS = ("is_test_channel", "is_ai_chat_paused", "needs_attention")

routes = web.RouteTableDef()


def _conversation_text(conversation: ConversationDetail) -> tuple[str | None, ...]:
    return (
        conversation.full_name,
        conversation.email,
        conversation.phone_number,
        conversation.channel_user_username,
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
    reader = BodyReader(request.query, problems)
    legacy = quirks(request).legacy_bodies
    channel = reader.choice(
        "channel", CHANNEL_FILTERS + LEGACY_CHANNEL_FILTERS if legacy else CHANNEL_FILTERS
    )
    flags = {name: reader.query_flag(name) for name in FLAG_FILTERS}
    problems.raise_if_any()
    conversations = [
        item
        for item in state(request).conversations_of(request.match_info["agent_id"])
        if (channel is None or item.channel_type == channel)
        and all(wanted is None or getattr(item, name) is wanted for name, wanted in flags.items())
    ]
    page, meta = paginate(conversations, query, _conversation_text)
    return ok([view(Conversation, item) for item in page], meta=meta)


@routes.post(CONVERSATIONS + "/messages")
async def send(request: web.Request) -> web.Response:
    """Continues the conversation the body names, or starts one (see ``send_fields``)."""
    fields = send_fields(await json_object(request))
    store = state(request)
    agent_id = request.match_info["agent_id"]
    store.agent(agent_id)
    channel_type = fields["channel_type"]
    if fields["is_test_channel"]:
        channel_type = "test_" + channel_type
    if fields["conversation_id"] is not None:
        conversation = store.conversation(agent_id, fields["conversation_id"])
    else:
        found = None
        if fields["channel_user_id"] is not None:
            found = store.find_conversation(agent_id, channel_type, fields["channel_user_id"])
        conversation = found or store.start_conversation(
            agent_id,
            channel_type,
            is_test_channel=fields["is_test_channel"],
            channel_user_id=fields["channel_user_id"],
            channel_user_username=fields["channel_username"],
        )
    message = store.add_message(
        agent_id, conversation.id, fields["message"], fields["attachments"], role=fields["role"]
    )
    return ok(message, status=201)


@routes.get(CONVERSATION)
async def get_conversation(request: web.Request) -> web.Response:
    return ok(state(request).conversation(*_ids(request)))


@routes.patch(CONVERSATION + "/ai-status")
async def set_ai_status(request: web.Request) -> web.Response:
    problems = Problems()
    paused = BodyReader(await json_object(request), problems).flag(
        "is_ai_chat_paused", required=True
    )
    problems.raise_if_any()
    return ok(state(request).set_ai_paused(*_ids(request), bool(paused)))


@routes.get(CONVERSATION + "/messages")
async def list_messages(request: web.Request) -> web.Response:
    problems = Problems()
    query = list_query(request.query, problems, sortable=MESSAGE_SORTS, default_sort="created_at")
    problems.raise_if_any()
    page, meta = paginate(state(request).messages_of(*_ids(request)), query, _message_text)
    return ok(page, meta=meta)


@routes.post(CONVERSATION + "/messages")
async def send_message(request: web.Request) -> web.Response:
    text, role, attachments = message_fields(await json_object(request))
    message = state(request).add_message(*_ids(request), text, attachments, role=role)
    return ok(message, status=201)


@routes.get(CONVERSATION + "/messages/{message_id}")
async def get_message(request: web.Request) -> web.Response:
    agent_id, conversation_id = _ids(request)
    return ok(state(request).message(agent_id, conversation_id, request.match_info["message_id"]))


@routes.post(CONVERSATION + "/stream-ticket")
async def issue_stream_ticket(request: web.Request) -> web.Response:
    return ok(state(request).issue_ticket(*_ids(request)))

"""Every seed-surface method over loopback: the request as sent and the decoded result."""

from __future__ import annotations

import msgspec
import pytest

from bimpe_async import (
    AgentAction,
    AgentChannel,
    AgentIntegration,
    APINotImplementedError,
    AsyncBimpeAI,
    Conversation,
    ConversationDetail,
    ConversationFlow,
    KnowledgeBaseItem,
    Message,
    NotFoundError,
    PermissionDeniedError,
    StreamTicket,
    UserError,
    ValidationError,
    Workflow,
    WorkflowSummary,
)
from bimpe_async.models import (
    AudioContent,
    Content,
    FileContent,
    ImageContent,
    MessageAttachment,
    OtherContent,
    TextContent,
)
from bimpe_async.testing import Emulator

from .conftest import SleepRecorder

PREFIX = "/api/v1/console"


def body_of(emulator: Emulator) -> object:
    return msgspec.json.decode(emulator.requests[-1].body)


@pytest.fixture
async def seeded(emulator: Emulator) -> Emulator:
    emulator.seed(agents=3, workflows=4, conversations_per_agent=12, messages_per_conversation=7)
    return emulator


async def first_agent_id(client: AsyncBimpeAI) -> str:
    return (await client.agents.list(sort="name")).data[0].id


async def test_agent_read_only_lists(client: AsyncBimpeAI, seeded: Emulator) -> None:
    agent_id = await first_agent_id(client)
    listings = [
        (client.agents.integrations, "integrations", AgentIntegration),
        (client.agents.channels, "channels", AgentChannel),
        (client.agents.conversation_flows, "conversation_flows", ConversationFlow),
        (client.agents.actions, "actions", AgentAction),
    ]
    detail = await client.agents.retrieve(agent_id)
    for resource, name, model in listings:
        items = await resource.list(agent_id)
        sent = seeded.requests[-1]
        assert (sent.method, sent.path) == ("GET", f"{PREFIX}/agents/{agent_id}/{name}")
        assert items, name
        assert all(isinstance(item, model) for item in items)
        if name in ("integrations", "channels"):  # API 0.4.1: the detail has no flows/actions
            assert [item.id for item in items] == [item.id for item in getattr(detail, name)]
    with pytest.raises(NotFoundError):
        await client.agents.channels.list("ag_missing")


async def test_knowledge_base_lifecycle(client: AsyncBimpeAI, emulator: Emulator) -> None:
    agent = await client.agents.create(name="KB owner")
    text = await client.agents.knowledge_bases.create(
        agent.id, {"type": "text", "name": "FAQ", "content": "Opening hours: 9-5"}
    )
    sent = emulator.requests[-1]
    assert (sent.method, sent.path) == ("POST", f"{PREFIX}/agents/{agent.id}/knowledge_bases")
    assert body_of(emulator) == {"type": "text", "name": "FAQ", "content": "Opening hours: 9-5"}
    assert "idempotency-key" in sent.headers
    assert isinstance(text, KnowledgeBaseItem)
    assert (text.type, text.name, text.content) == ("text", "FAQ", "Opening hours: 9-5")

    url = await client.agents.knowledge_bases.create(
        agent.id,
        {"type": "url", "name": "Site", "url": "https://acme.test", "description": "home"},
        idempotency_key="kb-1",
    )
    assert emulator.requests[-1].headers["idempotency-key"] == "kb-1"
    assert (url.type, url.url, url.description) == ("url", "https://acme.test", "home")

    listed = await client.agents.knowledge_bases.list(agent.id)
    assert {kb.id for kb in listed} == {text.id, url.id}
    detail = await client.agents.retrieve(agent.id)
    assert {kb.id for kb in detail.knowledge_bases} == {text.id, url.id}

    renamed = await client.agents.knowledge_bases.update(agent.id, text.id, name="FAQ 2")
    sent = emulator.requests[-1]
    assert (sent.method, sent.path) == (
        "PATCH",
        f"{PREFIX}/agents/{agent.id}/knowledge_bases/{text.id}",
    )
    assert body_of(emulator) == {"name": "FAQ 2"}
    assert renamed.name == "FAQ 2"

    assert await client.agents.knowledge_bases.delete(agent.id, text.id) is None
    assert emulator.requests[-1].method == "DELETE"
    assert [kb.id for kb in await client.agents.knowledge_bases.list(agent.id)] == [url.id]
    with pytest.raises(NotFoundError):
        await client.agents.knowledge_bases.delete(agent.id, text.id)


async def test_knowledge_base_bad_bodies(client: AsyncBimpeAI, emulator: Emulator) -> None:
    agent = await client.agents.create(name="KB owner")
    sent_before = len(emulator.requests)
    with pytest.raises(UserError, match="content"):
        await client.agents.knowledge_bases.create(agent.id, {"type": "text", "name": "x"})  # type: ignore[typeddict-item]
    with pytest.raises(UserError, match="'text' or 'url'"):
        await client.agents.knowledge_bases.create(agent.id, {"type": "pdf", "name": "x"})  # type: ignore[typeddict-item]
    assert len(emulator.requests) == sent_before
    with pytest.raises(ValidationError) as caught:
        await client.agents.knowledge_bases.create(
            agent.id, {"type": "url", "name": "x", "url": "ftp://nope"}
        )
    assert caught.value.field_errors[0]["path"] == "url"


async def test_workflows_lifecycle(client: AsyncBimpeAI, emulator: Emulator) -> None:
    created = await client.workflows.create(
        name="Refunds",
        description="Handle refund requests",
        system_prompt="Be brief.",
        tags=["billing"],
        rules=[{"name": "r", "trigger": "refund", "response": "Sure"}],
    )
    sent = emulator.requests[-1]
    assert (sent.method, sent.path) == ("POST", f"{PREFIX}/workflows")
    assert isinstance(created, Workflow)
    assert (created.name, created.tags, created.is_owner) == ("Refunds", ["billing"], True)
    assert created.rules[0].trigger == "refund"

    fetched = await client.workflows.retrieve(created.id)
    assert fetched == created
    updated = await client.workflows.update(created.id, visibility="public", name="Refunds v2")
    assert body_of(emulator) == {"visibility": "public", "name": "Refunds v2"}
    assert (updated.visibility, updated.name) == ("public", "Refunds v2")

    owned = await client.workflows.list(scope="owned")
    assert emulator.requests[-1].query["scope"] == "owned"
    assert all(isinstance(w, WorkflowSummary) for w in owned.data)
    assert [w.id for w in owned.data] == [created.id]
    public = await client.workflows.list(scope="public", search="refunds")
    assert emulator.requests[-1].query == {"page": "1", "scope": "public", "search": "refunds"}
    assert [w.name for w in public.data] == ["Refunds v2"]

    assert await client.workflows.delete(created.id) is None
    assert emulator.requests[-1].method == "DELETE"
    with pytest.raises(NotFoundError):
        await client.workflows.retrieve(created.id)
    with pytest.raises(ValidationError):
        await client.workflows.create(name="")


async def test_workflows_paginate_over_three_pages(client: AsyncBimpeAI) -> None:
    for i in range(5):
        await client.workflows.create(name=f"wf {i}")
    first = await client.workflows.list(limit=2, sort="name")
    pages = [page async for page in first.pages()]
    assert len(pages) == 3
    assert [w.name for p in pages for w in p.data] == [f"wf {i}" for i in range(5)]


async def test_conversations_list_filters_and_retrieve(
    client: AsyncBimpeAI, seeded: Emulator
) -> None:
    agent_id = await first_agent_id(client)
    everything = await (await client.conversations.list(agent_id, limit=5)).to_list()
    assert len(everything) == 12
    assert all(isinstance(c, Conversation) for c in everything)

    channel = everything[0].channel_type
    filtered = await client.conversations.list(agent_id, channel=channel, sort="created_at")  # type: ignore[arg-type]
    sent = seeded.requests[-1]
    assert sent.path == f"{PREFIX}/agents/{agent_id}/conversations"
    assert sent.query == {"page": "1", "sort": "created_at", "channel": channel}
    expected = sorted(
        (c for c in everything if c.channel_type == channel), key=lambda c: (c.created_at, c.id)
    )
    assert [c.id for c in filtered.data] == [c.id for c in expected]

    one = await client.conversations.retrieve(agent_id, everything[0].id)
    assert isinstance(one, ConversationDetail)
    assert one.id == everything[0].id
    assert one.channel_type == everything[0].channel_type
    assert one.full_name  # API 0.4.1: the contact's details come with retrieve only
    with pytest.raises(NotFoundError):
        await client.conversations.retrieve(agent_id, "cv_missing")
    with pytest.raises(ValidationError) as caught:
        await client.conversations.list(agent_id, channel="carrier_pigeon")  # type: ignore[arg-type]
    assert caught.value.field_errors[0]["path"] == "channel"


async def test_messages_list_send_and_conversation_preview(
    client: AsyncBimpeAI, seeded: Emulator
) -> None:
    agent_id = await first_agent_id(client)
    conversation = (await client.conversations.list(agent_id, limit=1)).data[0]
    messages = await client.conversations.messages.list(agent_id, conversation.id, limit=3)
    sent = seeded.requests[-1]
    assert sent.path == f"{PREFIX}/agents/{agent_id}/conversations/{conversation.id}/messages"
    assert sent.query == {"page": "1", "limit": "3"}
    assert messages.meta is not None
    assert messages.meta.page_count == 3
    history = await messages.to_list()
    assert len(history) == 7
    assert all(isinstance(m, Message) for m in history)

    sent_message = await client.conversations.messages.send(
        agent_id,
        conversation.id,
        message="Where is my order?",
        attachments=[{"type": "image", "url": "https://cdn.test/receipt.png"}],
    )
    assert body_of(seeded) == {
        "message": "Where is my order?",
        "attachments": [{"type": "image", "url": "https://cdn.test/receipt.png"}],
    }
    assert "idempotency-key" in seeded.requests[-1].headers
    assert sent_message.message == "Where is my order?"
    assert sent_message.content == [
        TextContent("Where is my order?"),
        ImageContent("https://cdn.test/receipt.png"),
    ]
    after = await (await client.conversations.messages.list(agent_id, conversation.id)).to_list()
    assert after[-1].id == sent_message.id
    refreshed = await client.conversations.retrieve(agent_id, conversation.id)
    assert refreshed.last_message_preview == "Where is my order?"
    assert refreshed.last_message_at == sent_message.created_at

    with pytest.raises(UserError, match="message"):
        await client.conversations.messages.send(agent_id, conversation.id)  # type: ignore[call-arg]
    with pytest.raises(NotFoundError):
        await client.conversations.messages.send(agent_id, "cv_missing", message="hi")


async def test_stream_ticket(client: AsyncBimpeAI, seeded: Emulator) -> None:
    agent_id = await first_agent_id(client)
    conversation = (await client.conversations.list(agent_id, limit=1)).data[0]
    ticket = await client.conversations.messages.stream_ticket(agent_id, conversation.id)
    sent = seeded.requests[-1]
    assert (sent.method, sent.path) == (
        "POST",
        f"{PREFIX}/agents/{agent_id}/conversations/{conversation.id}/stream-ticket",
    )
    assert sent.body == b""
    assert isinstance(ticket, StreamTicket)
    assert ticket.ticket
    assert ticket.expires_in > 0
    assert ticket.ticket not in repr(ticket)


async def test_calls_are_not_implemented_and_never_retried(
    client: AsyncBimpeAI, emulator: Emulator, sleeps: SleepRecorder
) -> None:
    with pytest.raises(APINotImplementedError) as caught:
        await client.calls.list()
    assert caught.value.status == 501
    assert caught.value.code == "not_implemented"
    assert [(r.method, r.path) for r in emulator.requests] == [("GET", f"{PREFIX}/calls")]
    assert sleeps.delays == []


async def test_write_options_on_every_write(client: AsyncBimpeAI, emulator: Emulator) -> None:
    agent = await client.agents.create(name="x")
    workflow = await client.workflows.create(name="w", idempotency_key="wf-key", max_retries=0)
    assert emulator.requests[-1].headers["idempotency-key"] == "wf-key"
    await client.workflows.update(workflow.id, name="w2", headers={"X-Request-Id": "mine"})
    assert emulator.requests[-1].headers["x-request-id"] == "mine"
    await client.workflows.delete(workflow.id, timeout=5)
    await client.agents.update(agent.id, name="y", idempotency_key="ag-key")
    assert emulator.requests[-1].headers["idempotency-key"] == "ag-key"


async def test_a_read_only_key_cannot_write_anywhere(emulator: Emulator) -> None:
    emulator.add_api_key("sk_reader", scopes=frozenset({"read"}))
    async with AsyncBimpeAI("sk_reader", base_url=emulator.base_url) as reader:
        await reader.workflows.list()
        with pytest.raises(PermissionDeniedError):
            await reader.workflows.create(name="w")


def test_content_of_every_attachment_kind() -> None:
    message = Message(
        id="m",
        role="user",
        created_at="t",
        attachments=[
            MessageAttachment(type=kind, url=f"u-{kind}")
            for kind in ("image", "audio", "file", "sticker")
        ],
    )
    assert message.content == [
        ImageContent("u-image"),
        AudioContent("u-audio"),
        FileContent("u-file"),
        OtherContent("sticker", "u-sticker"),
    ]
    encoded = msgspec.json.encode(message.content)
    assert b'"type":"other"' in encoded
    assert b'"kind":"sticker"' in encoded
    assert msgspec.json.decode(encoded, type=list[Content]) == message.content

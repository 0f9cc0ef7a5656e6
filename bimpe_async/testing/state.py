"""The emulator's in-memory account: every resource, kept in plain dicts tests can inspect.

Lookups raise the API's 404 so handlers stay short. All writes stamp times from the
injected clock, which keeps timestamps and ticket expiry under a test's control.
Integrations, calls and phone numbers have stores of their own (``integrations``,
``calls``, ``phone_numbers``); deleting an agent clears everything hanging off it.
"""

from __future__ import annotations

import asyncio
import random
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import msgspec

from .calls import CallLog
from .errors import ApiError, not_found
from .integrations import Integrations
from .models import (
    Agent,
    AgentDetail,
    AgentLiveStatus,
    AgentSetup,
    Attachment,
    ConversationAiStatus,
    ConversationDetail,
    KnowledgeBase,
    KnowledgeBaseSummary,
    Message,
    StreamTicket,
    view,
)
from .models_workflows import Workflow
from .phone_numbers import PhoneBook
from .stamps import iso, make_id

TICKET_TTL = 60
PREVIEW_LENGTH = 100


@dataclass(frozen=True)
class Ticket:
    agent_id: str
    conversation_id: str
    expires_at: float


class State:
    """Agents, workflows, conversations, integrations and telephony of one account."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._rng = random.Random()
        self.agents: dict[str, Agent] = {}
        self.agent_setups: dict[str, AgentSetup] = {}
        self.knowledge_bases: dict[str, dict[str, KnowledgeBase]] = {}
        self.workflows: dict[str, Workflow] = {}
        self.workflow_owners: dict[str, str] = {}
        self.conversations: dict[str, dict[str, ConversationDetail]] = {}
        self.messages: dict[str, list[Message]] = {}
        self.tickets: dict[str, Ticket] = {}
        self.integrations = Integrations(self.agent, self.new_id)
        self.calls = CallLog(self.agent, self.new_id, self.now)
        self.phone_numbers = PhoneBook(self.agent, self.new_id, self.now)
        self._message_signals: dict[str, asyncio.Event] = {}

    def now(self) -> str:
        return iso(self.clock())

    def new_id(self, prefix: str) -> str:
        return make_id(prefix, self._rng)

    # Agents

    def add_agent(self, agent: Agent, setup: AgentSetup | None = None) -> Agent:
        self.agents[agent.id] = agent
        self.agent_setups[agent.id] = setup or AgentSetup()
        self.knowledge_bases[agent.id] = {}
        self.conversations[agent.id] = {}
        return agent

    def agent(self, agent_id: str) -> Agent:
        agent = self.agents.get(agent_id)
        if agent is None:
            raise not_found("Agent")
        return agent

    def create_agent(self, fields: Mapping[str, Any]) -> Agent:
        now = self.now()
        test_code = f"TEST-{self._rng.getrandbits(24):06X}"
        agent = Agent(
            **{"test_channel_code": test_code, **fields},
            id=self.new_id("ag"),
            created_at=now,
            updated_at=now,
        )
        return self.add_agent(agent)

    def update_agent(self, agent_id: str, changes: Mapping[str, Any]) -> Agent:
        agent = msgspec.structs.replace(self.agent(agent_id), **changes, updated_at=self.now())
        self.agents[agent_id] = agent
        return agent

    def set_live_status(self, agent_id: str, status: str, reason: str | None) -> AgentLiveStatus:
        self.update_agent(agent_id, {"status": status, "status_reason": reason})
        return AgentLiveStatus(status=status, status_reason=reason)

    def delete_agent(self, agent_id: str) -> None:
        """Removes the agent and all it owns; its phone numbers stay, unassigned."""
        self.agent(agent_id)
        for conversation_id in self.conversations.pop(agent_id):
            del self.messages[conversation_id]
            signal = self._message_signals.pop(conversation_id, None)
            if signal is not None:
                signal.set()  # live streams of the conversation notice it is gone
        for ticket, issued in list(self.tickets.items()):
            if issued.agent_id == agent_id:
                del self.tickets[ticket]
        del self.agents[agent_id], self.agent_setups[agent_id], self.knowledge_bases[agent_id]
        self.integrations.forget_agent(agent_id)
        self.calls.forget_agent(agent_id)
        self.phone_numbers.unassign(agent_id)

    def setup(self, agent_id: str) -> AgentSetup:
        self.agent(agent_id)
        return self.agent_setups[agent_id]

    def agent_detail(self, agent_id: str) -> AgentDetail:
        agent = self.agent(agent_id)
        return AgentDetail(
            **msgspec.structs.asdict(agent),
            knowledge_bases=[
                view(KnowledgeBaseSummary, kb) for kb in self.knowledge_bases_of(agent_id)
            ],
            integrations=[item.summary() for item in self.integrations.of(agent_id)],
            channels=self.agent_setups[agent_id].channels,
        )

    # Knowledge bases

    def knowledge_bases_of(self, agent_id: str) -> list[KnowledgeBase]:
        self.agent(agent_id)
        return list(self.knowledge_bases[agent_id].values())

    def knowledge_base(self, agent_id: str, kb_id: str) -> KnowledgeBase:
        self.agent(agent_id)
        kb = self.knowledge_bases[agent_id].get(kb_id)
        if kb is None:
            raise not_found("Knowledge base")
        return kb

    def create_knowledge_base(self, agent_id: str, fields: Mapping[str, Any]) -> KnowledgeBase:
        self.agent(agent_id)
        kb = KnowledgeBase(**fields, id=self.new_id("kb"))
        self.knowledge_bases[agent_id][kb.id] = kb
        return kb

    def update_knowledge_base(
        self, agent_id: str, kb_id: str, changes: Mapping[str, Any]
    ) -> KnowledgeBase:
        kb = msgspec.structs.replace(self.knowledge_base(agent_id, kb_id), **changes)
        self.knowledge_bases[agent_id][kb_id] = kb
        return kb

    def delete_knowledge_base(self, agent_id: str, kb_id: str) -> None:
        self.knowledge_base(agent_id, kb_id)
        del self.knowledge_bases[agent_id][kb_id]

    # Workflows: owned by the API key that created them, readable by others when public.

    def add_workflow(self, workflow: Workflow, owner_key: str) -> Workflow:
        self.workflows[workflow.id] = workflow
        self.workflow_owners[workflow.id] = owner_key
        return workflow

    def _seen_by(self, workflow: Workflow, api_key: str) -> Workflow:
        if self.workflow_owners[workflow.id] == api_key:
            return workflow
        return msgspec.structs.replace(workflow, is_owner=False)

    def workflows_for(self, api_key: str, scope: str) -> list[Workflow]:
        """``owned``: this key's; ``public``: anyone's public ones; ``accessible``: both."""
        chosen = [
            workflow
            for workflow_id, workflow in self.workflows.items()
            if (scope != "public" and self.workflow_owners[workflow_id] == api_key)
            or (scope != "owned" and workflow.visibility == "public")
        ]
        return [self._seen_by(wf, api_key) for wf in chosen]

    def workflow(self, workflow_id: str, api_key: str) -> Workflow:
        """A workflow this key may read: its own, or anyone's public one."""
        workflow = self.workflows.get(workflow_id)
        if workflow is None or (
            workflow.visibility != "public" and self.workflow_owners[workflow_id] != api_key
        ):
            raise not_found("Workflow")
        return self._seen_by(workflow, api_key)

    def _owned_workflow(self, workflow_id: str, api_key: str) -> Workflow:
        workflow = self.workflow(workflow_id, api_key)
        if not workflow.is_owner:
            raise ApiError(403, "forbidden", "Only the owner can change this workflow")
        return workflow

    def create_workflow(self, api_key: str, fields: Mapping[str, Any]) -> Workflow:
        now = self.now()
        workflow = Workflow(
            **fields, id=self.new_id("wf"), is_owner=True, created_at=now, updated_at=now
        )
        return self.add_workflow(workflow, api_key)

    def clone_workflow(self, source_id: str, api_key: str) -> Workflow:
        """A private copy, owned by ``api_key``, of any workflow it may read."""
        source = self.workflow(source_id, api_key)
        now = self.now()
        copy = msgspec.structs.replace(
            source,
            id=self.new_id("wf"),
            visibility="private",
            is_owner=True,
            created_at=now,
            updated_at=now,
        )
        return self.add_workflow(copy, api_key)

    def update_workflow(
        self, workflow_id: str, api_key: str, changes: Mapping[str, Any]
    ) -> Workflow:
        workflow = self._owned_workflow(workflow_id, api_key)
        workflow = msgspec.structs.replace(workflow, **changes, updated_at=self.now())
        self.workflows[workflow_id] = workflow
        return workflow

    def delete_workflow(self, workflow_id: str, api_key: str) -> None:
        self._owned_workflow(workflow_id, api_key)
        del self.workflows[workflow_id]
        del self.workflow_owners[workflow_id]

    # Conversations and messages

    def add_conversation(
        self, agent_id: str, conversation: ConversationDetail, messages: list[Message]
    ) -> None:
        self.conversations[agent_id][conversation.id] = conversation
        self.messages[conversation.id] = messages

    def conversations_of(self, agent_id: str) -> list[ConversationDetail]:
        self.agent(agent_id)
        return list(self.conversations[agent_id].values())

    def conversation(self, agent_id: str, conversation_id: str) -> ConversationDetail:
        self.agent(agent_id)
        conversation = self.conversations[agent_id].get(conversation_id)
        if conversation is None:
            raise not_found("Conversation")
        return conversation

    def start_conversation(
        self,
        agent_id: str,
        channel_type: str,
        *,
        is_test_channel: bool,
        channel_user_id: str | None,
        channel_user_username: str | None,
    ) -> ConversationDetail:
        """A new, empty conversation on the agent's channel of that type (if it has one)."""
        channels = self.setup(agent_id).channels
        channel = next((item for item in channels if item.type == channel_type), None)
        now = self.now()
        conversation = ConversationDetail(
            id=self.new_id("cv"),
            channel_type=channel_type,
            channel_id=channel.id if channel else None,
            channel_user_id=channel_user_id,
            channel_user_username=channel_user_username,
            is_test_channel=is_test_channel,
            created_at=now,
            updated_at=now,
        )
        self.add_conversation(agent_id, conversation, [])
        return conversation

    def find_conversation(
        self, agent_id: str, channel_type: str, channel_user_id: str
    ) -> ConversationDetail | None:
        """The newest conversation with this contact on this channel, if any."""
        matching = [
            item
            for item in self.conversations_of(agent_id)
            if item.channel_type == channel_type and item.channel_user_id == channel_user_id
        ]
        return max(matching, key=lambda item: (item.created_at, item.id), default=None)

    def set_ai_paused(
        self, agent_id: str, conversation_id: str, paused: bool
    ) -> ConversationAiStatus:
        conversation = self.conversation(agent_id, conversation_id)
        self.conversations[agent_id][conversation_id] = msgspec.structs.replace(
            conversation, is_ai_chat_paused=paused, updated_at=self.now()
        )
        return ConversationAiStatus(is_ai_chat_paused=paused)

    def messages_of(self, agent_id: str, conversation_id: str) -> list[Message]:
        self.conversation(agent_id, conversation_id)
        return self.messages[conversation_id]

    def message(self, agent_id: str, conversation_id: str, message_id: str) -> Message:
        for message in self.messages_of(agent_id, conversation_id):
            if message.id == message_id:
                return message
        raise not_found("Message")

    def add_message(
        self,
        agent_id: str,
        conversation_id: str,
        text: str,
        attachments: list[Attachment] | None,
        *,
        role: str = "user",
    ) -> Message:
        """Stores a message and moves the conversation's last-message fields forward.

        A user message while the AI is paused makes the conversation need attention
        (nobody else will answer); an assistant message settles it. A user message
        also marks the contact as last seen now.
        """
        conversation = self.conversation(agent_id, conversation_id)
        now = self.now()
        message = Message(
            id=self.new_id("msg"),
            conversation_id=conversation_id,
            role=role,
            message=text,
            attachments=attachments,
            created_at=now,
        )
        self.messages[conversation_id].append(message)
        last_seen: str | None = now
        if role == "user":
            needs_attention = conversation.needs_attention or conversation.is_ai_chat_paused
        else:
            needs_attention, last_seen = False, conversation.last_seen
        self.conversations[agent_id][conversation_id] = msgspec.structs.replace(
            conversation,
            last_message_at=now,
            last_message_preview=text[:PREVIEW_LENGTH],
            needs_attention=needs_attention,
            last_seen=last_seen,
            updated_at=now,
        )
        signal = self._message_signals.pop(conversation_id, None)
        if signal is not None:
            signal.set()
        return message

    def message_added(self, conversation_id: str) -> asyncio.Event:
        """Set when the conversation's next message is added; live streams wait on it."""
        signal = self._message_signals.get(conversation_id)
        if signal is None:
            signal = self._message_signals[conversation_id] = asyncio.Event()
        return signal

    # Stream tickets: the short-lived credential for the SSE stream.

    def issue_ticket(self, agent_id: str, conversation_id: str) -> StreamTicket:
        self.conversation(agent_id, conversation_id)
        ticket = secrets.token_urlsafe(24)
        self.tickets[ticket] = Ticket(agent_id, conversation_id, self.clock() + TICKET_TTL)
        return StreamTicket(ticket=ticket, expires_in=TICKET_TTL)

    def consume_ticket(self, ticket: str) -> tuple[str, str] | None:
        """The (agent id, conversation id) a ticket opens, once; ``None`` if used or expired."""
        issued = self.tickets.pop(ticket, None)
        if issued is None or self.clock() >= issued.expires_at:
            return None
        return issued.agent_id, issued.conversation_id

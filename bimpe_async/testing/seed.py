"""A realistic, reproducible account: enough volume for pagination, demos and benchmarks.

Everything comes from one seeded generator and a fixed point in time, so the same
call always yields the same ids, names and timestamps regardless of the clock.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from .models import (
    AGENT_STATUSES,
    Agent,
    AgentAction,
    AgentSetup,
    Channel,
    ConfigField,
    Conversation,
    ConversationFlow,
    Integration,
    IntegrationAction,
    KnowledgeBase,
    Message,
    Rule,
    Workflow,
)
from .seed_data import (
    BUSINESSES,
    FIRST_NAMES,
    FOLLOW_UPS,
    INDUSTRIES,
    INTEGRATIONS,
    LANGUAGES,
    LAST_NAMES,
    PERSONAS,
    RULES,
    TIMEZONES,
    WORKFLOWS,
    Industry,
)
from .stamps import iso, make_id
from .state import PREVIEW_LENGTH, State

EPOCH = datetime(2026, 11, 1, tzinfo=timezone.utc).timestamp()
DAY = 86_400.0
OTHER_ACCOUNT_KEY = "sk_live_other_account"
"""Owner of some public workflows, so ``scope=public`` differs from ``scope=owned``."""


@dataclass(frozen=True)
class _SeededAgent:
    agent: Agent
    industry: Industry
    channels: list[Channel]
    created: float


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _Seeder:
    def __init__(self, state: State, rng: random.Random, owner_key: str) -> None:
        self.state = state
        self.rng = rng
        self.owner_key = owner_key

    def id(self, prefix: str) -> str:
        return make_id(prefix, self.rng)

    def rules(self, count: int) -> list[Rule]:
        return [
            Rule(
                id=self.id("rule"),
                name=name,
                trigger=trigger,
                condition=condition,
                response=response,
                action=action,
                enabled=self.rng.random() < 0.9,
            )
            for name, trigger, condition, response, action in self.rng.sample(RULES, count)
        ]

    def workflow(self, index: int) -> str | None:
        """Seeds one workflow; returns its id when the seeding key owns it."""
        name, category, description, tags = WORKFLOWS[index % len(WORKFLOWS)]
        if index >= len(WORKFLOWS):
            name = f"{name} v{index // len(WORKFLOWS) + 1}"
        foreign = index % 4 == 3
        created = self.rng.uniform(EPOCH - 300 * DAY, EPOCH - 10 * DAY)
        workflow = Workflow(
            id=self.id("wf"),
            name=name,
            description=description,
            category=category,
            visibility="public" if foreign or self.rng.random() < 0.4 else "private",
            is_owner=True,
            created_at=iso(created),
            updated_at=iso(self.rng.uniform(created, EPOCH)),
            system_prompt=f"Follow the {name.lower()} playbook: {description.lower()}.",
            rules=self.rules(1),
            flows=[{"name": name, "description": description, "priority": 1, "is_active": True}],
            tags=list(tags),
            prompt_config={"temperature": 0.3, "tone": "friendly", "max_reply_words": 80},
        )
        self.state.add_workflow(workflow, OTHER_ACCOUNT_KEY if foreign else self.owner_key)
        return None if foreign else workflow.id

    def integrations(self) -> tuple[list[Integration], list[AgentAction]]:
        """One or two connected integrations, and the agent actions they offer."""
        integrations: list[Integration] = []
        actions: list[AgentAction] = []
        for kind, category, offered in self.rng.sample(INTEGRATIONS, self.rng.randint(1, 2)):
            integrations.append(
                Integration(
                    id=self.id("int"),
                    type=kind,
                    status="connected",
                    is_connected=True,
                    config_fields=[
                        ConfigField(key="api_key", label="API key", type="password", required=True)
                    ],
                    actions=[
                        IntegrationAction(
                            action_name=action_name,
                            name=name,
                            description=description,
                            category=category,
                            is_enabled=True,
                            require_human_approval=category in ("payments", "crm"),
                        )
                        for action_name, name, description in offered
                    ],
                )
            )
            actions.extend(
                AgentAction(
                    id=self.id("act"),
                    integration_type=kind,
                    integration_name=kind.replace("_", " ").title(),
                    name=name,
                    action_name=action_name,
                    description=description,
                    is_enabled=self.rng.random() < 0.85,
                )
                for action_name, name, description in offered
            )
        return integrations, actions

    def setup(self, industry_name: str, industry: Industry) -> AgentSetup:
        integrations, actions = self.integrations()
        social = self.rng.sample(("instagram", "messenger"), self.rng.randint(0, 2))
        channels = [
            Channel(id=self.id("ch"), type=kind, status="active", is_connected=True)
            for kind in ["webchat", "whatsapp", *social, "test_webchat"]
        ]
        flows = [
            ConversationFlow(
                name=name,
                description=description,
                category=industry_name,
                priority=priority,
                is_active=self.rng.random() < 0.9,
            )
            for priority, (name, description) in enumerate(industry.flows, start=1)
        ]
        return AgentSetup(
            integrations=integrations, channels=channels, conversation_flows=flows, actions=actions
        )

    def agent(self, index: int, workflow_ids: list[str]) -> _SeededAgent:
        business, industry_name, address = BUSINESSES[index % len(BUSINESSES)]
        if index >= len(BUSINESSES):
            business = f"{business} Branch {index // len(BUSINESSES) + 1}"
        industry = INDUSTRIES[industry_name]
        role = self.rng.choice(industry.roles)
        slug = _slug(business)
        city = address.rsplit(", ", 1)[-1]
        created = self.rng.uniform(EPOCH - 400 * DAY, EPOCH - 30 * DAY)
        status = self.rng.choices(AGENT_STATUSES, weights=(25, 60, 15))[0]
        agent = Agent(
            id=self.id("ag"),
            name=f"{business} {role}",
            description=f"{role} for {business}: {industry.offer}.",
            system_prompt=(
                f"You are the {role.lower()} for {business}, a {industry.label} in {city}: "
                f"the assistant that {industry.offer}. Be exact about prices and opening "
                "hours, and hand over to a human when a customer is upset or asks for one."
            ),
            language=self.rng.choice(LANGUAGES),
            persona=self.rng.choice(PERSONAS),
            agent_workflow_id=self.rng.choice(workflow_ids) if workflow_ids else None,
            rules=self.rules(self.rng.randint(1, 2)),
            timezone=self.rng.choice(TIMEZONES),
            logo=f"https://cdn.bimpe.example/logos/{slug}.png",
            business_name=business,
            business_address=address,
            business_email=f"hello@{slug}.example",
            business_description=f"A {industry.label} in {city}.",
            test_channel_code=f"TEST-{self.rng.getrandbits(24):06X}",
            status=status,
            status_reason="Paused while prices are updated" if status == "paused" else None,
            escalation_email=f"support@{slug}.example",
            created_at=iso(created),
            updated_at=iso(self.rng.uniform(created, EPOCH)),
        )
        setup = self.setup(industry_name, industry)
        self.state.add_agent(agent, setup)
        for kb in self.knowledge_bases(business, slug, industry):
            self.state.knowledge_bases[agent.id][kb.id] = kb
        return _SeededAgent(agent, industry, setup.channels, created)

    def knowledge_bases(self, business: str, slug: str, industry: Industry) -> list[KnowledgeBase]:
        faq = "\n".join(f"Q: {q}\nA: {a}" for q, a in industry.exchanges)
        return [
            KnowledgeBase(
                id=self.id("kb"),
                type="text",
                name="Frequently asked questions",
                description=f"Answers {business} gives most often",
                content=faq,
            ),
            KnowledgeBase(
                id=self.id("kb"),
                type="url",
                name="Website",
                description="Public pages: services, prices and opening hours",
                url=f"https://{slug}.example/",
            ),
        ]

    def conversation(self, owner: _SeededAgent, message_count: int) -> None:
        rng = self.rng
        channel = rng.choice(owner.channels)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        is_test = channel.type.startswith("test_")
        conversation_id = self.id("cv")
        created = rng.uniform(owner.created, EPOCH - DAY)
        lines = list(rng.choice(owner.industry.exchanges))
        while len(lines) < message_count:
            lines.extend(rng.choice(FOLLOW_UPS))
        business = owner.agent.business_name or owner.agent.name
        moment = created
        messages = []
        for position, line in enumerate(lines[:message_count]):
            moment += rng.uniform(15, 600)
            messages.append(
                Message(
                    id=self.id("msg"),
                    conversation_id=conversation_id,
                    role="user" if position % 2 == 0 else "assistant",
                    message=line.format(first=first, business=business),
                    created_at=iso(moment),
                )
            )
        last_message = messages[-1] if messages else None
        conversation = Conversation(
            id=conversation_id,
            channel_type=channel.type,
            channel_id=channel.id,
            is_test_channel=is_test,
            full_name="Test User" if is_test else f"{first} {last}",
            email=f"{first}.{last}@mail.example".lower() if channel.type == "webchat" else None,
            phone_number=(
                f"+234 80{rng.randint(1, 9)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
                if channel.type == "whatsapp"
                else None
            ),
            channel_username=(
                f"@{first.lower()}.{last.lower()}"
                if channel.type in ("instagram", "messenger")
                else None
            ),
            is_ai_chat_paused=rng.random() < 0.05,
            last_message_at=last_message.created_at if last_message else None,
            last_message_preview=(
                (last_message.message or "")[:PREVIEW_LENGTH] if last_message else None
            ),
            created_at=iso(created),
            updated_at=last_message.created_at if last_message else iso(created),
        )
        self.state.add_conversation(owner.agent.id, conversation, messages)


def seed_state(
    state: State,
    *,
    owner_key: str,
    agents: int,
    workflows: int,
    conversations_per_agent: int,
    messages_per_conversation: int,
) -> None:
    """Adds the seeded data set to ``state``; workflows are owned by ``owner_key``.

    The generator is keyed on what the store already holds, so seeding twice adds a
    second, different (but still reproducible) batch instead of colliding ids.
    """
    rng = random.Random(f"bimpe-seed:{len(state.agents)}:{len(state.workflows)}")
    seeder = _Seeder(state, rng, owner_key)
    owned = [wf_id for index in range(workflows) if (wf_id := seeder.workflow(index))]
    for index in range(agents):
        seeded = seeder.agent(index, owned)
        for _ in range(conversations_per_agent):
            seeder.conversation(seeded, messages_per_conversation)

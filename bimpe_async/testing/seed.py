"""A realistic, reproducible account: enough volume for pagination, demos and benchmarks.

Everything comes from one seeded generator and a fixed point in time, so the same
call always yields the same ids, names and timestamps regardless of the clock.

What a seeded account holds, so tests can rely on it:

- workflows, a quarter of them public ones owned by another account; every third
  carries the real server's ``[]`` placeholders in ``rules``, ``flows`` and ``faq``,
  every other one ``setup_steps`` of ``[[], []]``, every fifth ``tags: null``;
- agents made from the seeding key's workflows, each with knowledge bases, channels,
  0.1.0-era conversation flows, one or two connected BimpeAI apps (with actions),
  and by position: agent 0, 3, 6, ... a custom API with two tools; 0, 1, 3, 4, ... an
  MCP server with discovered tools; 0, 2, 3, 5, ... a Pipedream app; so agent 0 has
  every family;
- conversations on the channels a 0.4.1 filter knows, some paused or needing
  attention;
- calls per agent in every outcome (ended ones with transcripts), test calls among
  them;
- a phone number for every even-numbered agent plus two spare ones, and one
  fulfilled and two pending number requests.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime, timezone

from . import family_ops
from .models import (
    AGENT_STATUSES,
    CHANNEL_FILTERS,
    PERSONAS,
    Agent,
    AgentSetup,
    ConversationDetail,
    ConversationFlow,
    KnowledgeBase,
    Message,
)
from .models_integrations import BIMPEAI_TYPES, AgentChannel
from .models_telephony import CallDetail, CallLogEntry, PhoneNumberDetail, PhoneNumberRequest
from .models_workflows import (
    ConversationStep,
    FaqItem,
    Flow,
    Guide,
    Placeholder,
    Rule,
    TriggerKeyword,
    Workflow,
)
from .seed_data import (
    BUSINESSES,
    CALL_END_REASONS,
    CUSTOM_APIS,
    FIRST_NAMES,
    FOLLOW_UPS,
    INDUSTRIES,
    LANGUAGES,
    LAST_NAMES,
    NUMBER_REQUESTS,
    PIPEDREAM_APPS,
    RULES,
    SETUP_STEPS,
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
CHANNEL_NAMES = {
    "whatsapp": "WhatsApp",
    "webchat": "Website chat",
    "telephony": "Phone line",
    "instagram": "Instagram",
    "messenger": "Messenger",
    "test_webchat": "Test chat",
    "test_whatsapp": "Test WhatsApp",
}
TAG_APPS = {"payments": "paystack", "scheduling": "google_calendar", "orders": "bumpa"}


@dataclass(frozen=True)
class _SeededAgent:
    agent: Agent
    industry: Industry
    channels: list[AgentChannel]
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
        apps = sorted({TAG_APPS.get(tag, "google_sheets") for tag in tags})
        flow = Flow(
            name=name,
            description=description,
            category=category,
            priority=1,
            is_active=True,
            trigger_keywords=[TriggerKeyword(keyword=tag, weight="high") for tag in tags],
            conversation_steps=[
                ConversationStep(type="message", content=f"Hi! I can help with {name.lower()}."),
                ConversationStep(type="question", content="What would you like to do?"),
            ],
        )
        faq = [
            FaqItem(question=f"What does {name} do?", answer=description + "."),
            FaqItem(question="Can a person take over?", answer="Yes, at any time."),
        ]
        rules: list[Rule | Placeholder] = [*self.rules(1)]
        flows: list[Flow | Placeholder] = [flow]
        faqs: list[FaqItem | Placeholder] = [*faq]
        if index % 3 == 0:  # the real server's placeholders, as clients meet them
            rules, flows, faqs = [[], *rules], [*flows, []], [faqs[0], [], faqs[1]]
        slug = _slug(name)
        workflow = Workflow(
            id=self.id("wf"),
            name=name,
            description=description,
            category=category,
            visibility="public" if foreign or self.rng.random() < 0.4 else "private",
            is_owner=True,
            system_prompt=f"Follow the {name.lower()} playbook: {description.lower()}.",
            video_url=f"https://video.bimpe.example/workflows/{slug}",
            setup_time=self.rng.choice((5, 10, 15, 30)),
            tags=None if index % 5 == 4 else list(tags),
            integrations=apps,
            channels=["whatsapp", "webchat"],
            actions=[f"{app}.default" for app in apps],
            guide=Guide(steps=list(SETUP_STEPS[:3]), youtube_url=f"https://youtube.example/{slug}"),
            faq=faqs,
            rules=rules,
            flows=flows,
            setup_steps=[[], []] if index % 2 == 0 else list(SETUP_STEPS),
            created_at=iso(created),
            updated_at=iso(self.rng.uniform(created, EPOCH)),
        )
        self.state.add_workflow(workflow, OTHER_ACCOUNT_KEY if foreign else self.owner_key)
        return None if foreign else workflow.id

    def integrations(self, agent_id: str, index: int, slug: str) -> None:
        """Built-in apps for every agent; the other families by the agent's position."""
        store = self.state.integrations
        for kind in self.rng.sample(BIMPEAI_TYPES, self.rng.randint(1, 2)):
            app = family_ops.app_integration(agent_id, kind, connected=True, new_id=self.id)
            for action in app.actions.values():
                action.is_enabled = self.rng.random() < 0.85
            store.add(app)
        if index % 3 == 0:
            name, base_url, tools = self.rng.choice(CUSTOM_APIS)
            fields = {"name": name, "base_url": base_url.format(slug=slug), "auth_type": "bearer"}
            api = store.add(family_ops.custom_api(agent_id, fields, self.id))
            for tool_name, method, path, description in tools:
                definition = {
                    "name": tool_name,
                    "url_template": fields["base_url"] + path,
                    "http_method": method,
                    "description": description,
                }
                family_ops.custom_tool(api, definition, self.id)
        if index % 3 in (0, 1):
            fields = {
                "name": "Knowledge server",
                "server_url": f"https://mcp.{slug}.example/mcp",
                "transport": "streamable_http",
                "auth_type": "none",
            }
            server = store.add(family_ops.mcp_server(agent_id, fields, self.id))
            family_ops.discover(server, self.id)
        if index % 3 in (0, 2):
            app_slug, app_name, icon = self.rng.choice(PIPEDREAM_APPS)
            fields = {"app_slug": app_slug, "app_name": app_name, "app_icon": icon}
            store.add(family_ops.pipedream_app(agent_id, fields, self.id, connected=True))

    def setup(self, industry_name: str, industry: Industry, *, telephony: bool) -> AgentSetup:
        social = self.rng.sample(("instagram", "messenger"), self.rng.randint(0, 2))
        kinds = ["webchat", "whatsapp", *(["telephony"] if telephony else []), *social]
        channels = [
            AgentChannel(
                id=self.id("ch"),
                type=kind,
                name=CHANNEL_NAMES[kind],
                status="active",
                is_connected=True,
            )
            for kind in [*kinds, "test_webchat", "test_whatsapp"]
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
        return AgentSetup(channels=channels, conversation_flows=flows)

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
            language=self.rng.choice(LANGUAGES),
            persona=self.rng.choice(PERSONAS),
            workflow_id=self.rng.choice(workflow_ids) if workflow_ids else None,
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
        setup = self.setup(industry_name, industry, telephony=index % 2 == 0)
        self.state.add_agent(agent, setup)
        for kb in self.knowledge_bases(business, slug, industry):
            self.state.knowledge_bases[agent.id][kb.id] = kb
        self.integrations(agent.id, index, slug)
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

    def phone(self) -> str:
        rng = self.rng
        return f"+234 80{rng.randint(1, 9)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"

    def conversation(self, owner: _SeededAgent, message_count: int) -> None:
        rng = self.rng
        channel = rng.choice([ch for ch in owner.channels if ch.type in CHANNEL_FILTERS])
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
        last_user = next((m for m in reversed(messages) if m.role == "user"), None)
        phone = self.phone() if channel.type.endswith(("whatsapp", "telephony")) else None
        paused = rng.random() < 0.05
        handle = f"{first}.{last}".lower()
        conversation = ConversationDetail(
            id=conversation_id,
            channel_type=channel.type,
            channel_id=channel.id,
            channel_user_id=phone.replace(" ", "") if phone else f"visitor-{handle}",
            channel_user_username=None if phone else f"@{handle}",
            is_test_channel=is_test,
            is_ai_chat_paused=paused,
            needs_attention=paused or rng.random() < 0.1,
            last_message_at=last_message.created_at if last_message else None,
            last_message_preview=(
                (last_message.message or "")[:PREVIEW_LENGTH] if last_message else None
            ),
            last_seen=last_user.created_at if last_user else None,
            full_name="Test User" if is_test else f"{first} {last}",
            email=f"{handle}@mail.example" if channel.type == "webchat" else None,
            phone_number=phone,
            profile_picture=f"https://avatars.bimpe.example/{handle}.png",
            created_at=iso(created),
            updated_at=last_message.created_at if last_message else iso(created),
        )
        self.state.add_conversation(owner.agent.id, conversation, messages)

    def call(self, owner: _SeededAgent, position: int, line: str | None) -> None:
        """Calls cycle through outcomes; ended ones carry a transcript."""
        rng = self.rng
        status = ("ended", "ended", "busy", "failed", "answered", "cancelled")[position % 6]
        is_test = line is None or position % 4 == 3
        started = rng.uniform(owner.created, EPOCH - DAY)
        ringing, answered = started + 1, started + rng.uniform(4, 12)
        ended = answered + rng.uniform(30, 400) if status == "ended" else started + 20
        logs = []
        if status in ("ended", "answered"):
            moment = answered
            for turn, text in enumerate(rng.choice(owner.industry.exchanges)):
                moment += rng.uniform(3, 20)
                role = "user" if turn % 2 == 0 else "assistant"
                logs.append(
                    CallLogEntry(id=self.id("msg"), role=role, message=text, created_at=iso(moment))
                )
        talked = status in ("ended", "answered")
        finished = status != "answered"
        call = CallDetail(
            id=self.id("call"),
            destination=self.phone().replace(" ", ""),
            direction=rng.choice(("outbound", "inbound")),
            status=status,
            is_test_call=is_test,
            source=None if is_test else line,
            error_reason="carrier_unreachable" if status == "failed" else None,
            end_reason=(
                rng.choice(CALL_END_REASONS)
                if status == "ended"
                else status
                if status in ("busy", "cancelled")
                else None
            ),
            ringing_at=iso(ringing),
            ended_at=iso(ended) if finished else None,
            duration_seconds=round(ended - answered) if status == "ended" else None,
            started_at=iso(started),
            answered_at=iso(answered) if talked else None,
            conversation_logs=logs,
            created_on=iso(started),
        )
        self.state.calls.add(owner.agent.id, call)

    def phone_number(self, agent_id: str | None, label: str) -> PhoneNumberDetail:
        created = iso(self.rng.uniform(EPOCH - 200 * DAY, EPOCH - 5 * DAY))
        return self.state.phone_numbers.add(
            PhoneNumberDetail(
                id=self.id("pn"),
                e164=f"+2341{self.rng.randint(2000000, 9999999)}",
                agent_id=agent_id,
                label=label,
                inbound_enabled=agent_id is not None,
                created_at=created,
                updated_at=created,
            )
        )

    def number_requests(self, business: str, agent_id: str | None) -> None:
        for position, (use, region, agents, minutes) in enumerate(NUMBER_REQUESTS):
            created = iso(EPOCH - (40 - 10 * position) * DAY)
            fulfilled = position == 0
            number = self.phone_number(None, use) if fulfilled else None
            self.state.phone_numbers.add_request(
                PhoneNumberRequest(
                    id=self.id("pnr"),
                    status="fulfilled" if fulfilled else "pending",
                    business_name=business,
                    intended_use=use,
                    region=region,
                    e164=number.e164 if number else None,
                    agent_id=agent_id,
                    label=use if fulfilled else None,
                    agent_count=agents,
                    outbound_minutes=minutes,
                    created_at=created,
                    updated_at=iso(EPOCH - 5 * DAY) if fulfilled else created,
                )
            )


def seed_state(
    state: State,
    *,
    owner_key: str,
    agents: int,
    workflows: int,
    conversations_per_agent: int,
    messages_per_conversation: int,
    calls_per_agent: int = 6,
) -> None:
    """Adds the seeded data set to ``state``; workflows are owned by ``owner_key``.

    The generator is keyed on what the store already holds, so seeding twice adds a
    second, different (but still reproducible) batch instead of colliding ids.
    """
    rng = random.Random(f"bimpe-seed:{len(state.agents)}:{len(state.workflows)}")
    seeder = _Seeder(state, rng, owner_key)
    owned = [wf_id for index in range(workflows) if (wf_id := seeder.workflow(index))]
    first: _SeededAgent | None = None
    for index in range(agents):
        seeded = seeder.agent(index, owned)
        first = first or seeded
        line = None
        if index % 2 == 0:
            line = seeder.phone_number(seeded.agent.id, f"{seeded.agent.business_name} line").e164
        for _ in range(conversations_per_agent):
            seeder.conversation(seeded, messages_per_conversation)
        for position in range(calls_per_agent):
            seeder.call(seeded, position, line)
    if first is not None:
        for label in ("Spare line 1", "Spare line 2"):
            seeder.phone_number(None, label)
        seeder.number_requests(first.agent.business_name or first.agent.name, first.agent.id)

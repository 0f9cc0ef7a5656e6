"""What ``POST /workflows`` and ``PATCH /workflows/{id}`` accept (``WorkflowBody``).

Rules, flows, the guide and the FAQ are checked item by item, with paths such as
``flows[0].trigger_keywords[1].weight``; ``setup_steps`` items are stored as given.
``legacy`` is ``Quirks.legacy_bodies`` (see ``quirks.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .fields import url
from .models_workflows import (
    KEYWORD_WEIGHTS,
    VISIBILITIES,
    ConversationStep,
    FaqItem,
    Flow,
    Guide,
    Rule,
    TriggerKeyword,
)
from .validation import BodyReader, Problems

NewId = Callable[[str], str]
TEXT_FIELDS = ("description", "category")
NAME_LISTS = ("integrations", "channels", "actions")


def _rules(reader: BodyReader, new_id: NewId, *, legacy: bool) -> list[Rule]:
    rules = []
    for index, item in enumerate(reader.objects("rules") or []):
        rule = reader.item("rules", index, item)
        rule_id = rule.text("id", required=not legacy, nullable=False, non_empty=True)
        name = rule.text("name", required=True, non_empty=True)
        trigger = rule.text("trigger", required=True)
        response = rule.text("response", required=True)
        enabled = rule.flag("enabled", required=not legacy)
        condition = rule.text("condition")
        action = rule.text("action")
        if name is None or trigger is None or response is None:
            continue
        rules.append(
            Rule(
                id=rule_id or new_id("rule"),
                name=name,
                trigger=trigger,
                condition=condition,
                response=response,
                action=action,
                enabled=True if enabled is None else enabled,
            )
        )
    return rules


def _keywords(flow: BodyReader) -> list[TriggerKeyword] | None:
    items = flow.objects("trigger_keywords")
    if items is None:
        return None
    keywords = []
    for index, item in enumerate(items):
        keyword = flow.item("trigger_keywords", index, item)
        text = keyword.text("keyword", required=True, non_empty=True)
        weight = keyword.choice("weight", KEYWORD_WEIGHTS)
        if text is not None:
            keywords.append(TriggerKeyword(keyword=text, weight=weight))
    return keywords


def _steps(flow: BodyReader) -> list[ConversationStep] | None:
    items = flow.objects("conversation_steps")
    if items is None:
        return None
    steps = []
    for index, item in enumerate(items):
        step = flow.item("conversation_steps", index, item)
        kind = step.text("type", required=True, non_empty=True)
        content, action, followup = (step.text(name) for name in ("content", "action", "followup"))
        if kind is not None:
            steps.append(
                ConversationStep(type=kind, content=content, action=action, followup=followup)
            )
    return steps


def _flows(reader: BodyReader) -> list[Flow]:
    flows = []
    for index, item in enumerate(reader.objects("flows") or []):
        flow = reader.item("flows", index, item)
        name = flow.text("name", required=True, non_empty=True)
        parsed = Flow(
            name=name or "",
            description=flow.text("description"),
            category=flow.text("category"),
            priority=flow.integer("priority"),
            is_active=flow.flag("is_active"),
            trigger_keywords=_keywords(flow),
            conversation_steps=_steps(flow),
        )
        if name is not None:
            flows.append(parsed)
    return flows


def _guide(reader: BodyReader) -> Guide | None:
    body = reader.mapping("guide")
    if body is None:
        return None
    guide = reader.child("guide", body)
    steps = guide.strings("steps", required=True)
    return Guide(steps=steps or [], youtube_url=url(guide, "youtube_url", required=False))


def _faq(reader: BodyReader) -> list[FaqItem] | None:
    items = reader.objects("faq")
    if items is None:
        return None
    faq = []
    for index, item in enumerate(items):
        entry = reader.item("faq", index, item)
        question = entry.text("question", required=True, non_empty=True)
        answer = entry.text("answer", required=True)
        if question is not None and answer is not None:
            faq.append(FaqItem(question=question, answer=answer))
    return faq


def workflow_fields(
    body: Mapping[str, Any], new_id: NewId, *, creating: bool, legacy: bool
) -> dict[str, Any]:
    problems = Problems()
    reader = BodyReader(body, problems)
    fields: dict[str, Any] = {}
    if creating or reader.has("name"):
        fields["name"] = reader.text("name", required=True, non_empty=True)
    if (creating and not legacy) or reader.has("system_prompt"):
        fields["system_prompt"] = reader.text(
            "system_prompt", required=creating and not legacy, non_empty=True
        )
    for name in TEXT_FIELDS:
        if reader.has(name):
            fields[name] = reader.text(name)
    if reader.has("video_url"):
        fields["video_url"] = url(reader, "video_url", required=False)
    if reader.has("setup_time"):
        fields["setup_time"] = reader.integer("setup_time")
    if reader.has("visibility"):
        fields["visibility"] = reader.choice("visibility", VISIBILITIES)
    if reader.has("tags"):
        fields["tags"] = reader.strings("tags")
    for name in NAME_LISTS:
        if reader.has(name):
            fields[name] = reader.strings(name)
    if reader.has("rules"):
        fields["rules"] = _rules(reader, new_id, legacy=legacy)
    if reader.has("flows"):
        fields["flows"] = _flows(reader)
    if reader.has("guide"):
        fields["guide"] = _guide(reader)
    if reader.has("faq"):
        fields["faq"] = _faq(reader)
    if reader.has("setup_steps"):
        fields["setup_steps"] = reader.values("setup_steps") or []
    problems.raise_if_any()
    return fields


def clone_source(body: Mapping[str, Any]) -> str:
    problems = Problems()
    source = BodyReader(body, problems).text("source_workflow_id", required=True, non_empty=True)
    problems.raise_if_any()
    return source or ""

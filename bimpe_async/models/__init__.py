"""Response models (frozen msgspec Structs) and request bodies (TypedDicts)."""

from __future__ import annotations

from .agents import (
    Agent,
    AgentAction,
    AgentChannel,
    AgentDetail,
    AgentIntegration,
    AgentStatus,
    ConversationFlow,
    CreateAgentParams,
    IntegrationAction,
    IntegrationConfigField,
    KnowledgeBaseItem,
    Rule,
    RuleParam,
    UpdateAgentParams,
)
from .base import Model
from .common import PaginationMeta

__all__ = [
    "Agent",
    "AgentAction",
    "AgentChannel",
    "AgentDetail",
    "AgentIntegration",
    "AgentStatus",
    "ConversationFlow",
    "CreateAgentParams",
    "IntegrationAction",
    "IntegrationConfigField",
    "KnowledgeBaseItem",
    "Model",
    "PaginationMeta",
    "Rule",
    "RuleParam",
    "UpdateAgentParams",
]

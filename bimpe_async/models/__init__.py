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
    CreateKnowledgeBaseParams,
    IntegrationAction,
    IntegrationConfigField,
    KnowledgeBaseItem,
    Rule,
    RuleParam,
    TextKnowledgeBaseParams,
    UpdateAgentParams,
    UpdateKnowledgeBaseParams,
    UrlKnowledgeBaseParams,
)
from .base import Model
from .calls import Call
from .common import PaginationMeta
from .conversations import (
    AttachmentParam,
    Channel,
    Conversation,
    Message,
    MessageAttachment,
    SendMessageParams,
    StreamMessageEvent,
    StreamTicket,
)
from .workflows import (
    CreateWorkflowParams,
    Flow,
    FlowParam,
    UpdateWorkflowParams,
    Workflow,
    WorkflowSummary,
)

__all__ = [
    "Agent",
    "AgentAction",
    "AgentChannel",
    "AgentDetail",
    "AgentIntegration",
    "AgentStatus",
    "AttachmentParam",
    "Call",
    "Channel",
    "Conversation",
    "ConversationFlow",
    "CreateAgentParams",
    "CreateKnowledgeBaseParams",
    "CreateWorkflowParams",
    "Flow",
    "FlowParam",
    "IntegrationAction",
    "IntegrationConfigField",
    "KnowledgeBaseItem",
    "Message",
    "MessageAttachment",
    "Model",
    "PaginationMeta",
    "Rule",
    "RuleParam",
    "SendMessageParams",
    "StreamMessageEvent",
    "StreamTicket",
    "TextKnowledgeBaseParams",
    "UpdateAgentParams",
    "UpdateKnowledgeBaseParams",
    "UpdateWorkflowParams",
    "UrlKnowledgeBaseParams",
    "Workflow",
    "WorkflowSummary",
]

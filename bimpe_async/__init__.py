"""Async-only client for the BimpeAI Agent Console API.

async with AsyncBimpeAI(api_key="sk_...") as client:
    page = await client.agents.list(limit=50)
    async for agent in page:
        print(agent.name)
"""

from __future__ import annotations

from ._http import Request, RequestOptions, Response
from ._version import __version__
from .client import AsyncBimpeAI
from .errors import (
    APIConnectionError,
    APIError,
    APINotImplementedError,
    APIResponseValidationError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    BimpeAIError,
    ConflictError,
    ErrorCode,
    FieldError,
    InternalServerError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    UserError,
    ValidationError,
)
from .middleware import Chain, Middleware, RateLimitSnapshot
from .models import (
    Agent,
    AgentAction,
    AgentChannel,
    AgentDetail,
    AgentIntegration,
    Call,
    Conversation,
    ConversationFlow,
    Flow,
    IntegrationAction,
    IntegrationConfigField,
    KnowledgeBaseItem,
    Message,
    MessageAttachment,
    Model,
    PaginationMeta,
    Rule,
    StreamMessageEvent,
    StreamTicket,
    Workflow,
    WorkflowSummary,
)
from .pagination import AsyncPage
from .streaming.reader import MessageStream

__all__ = [
    "APIConnectionError",
    "APIError",
    "APINotImplementedError",
    "APIResponseValidationError",
    "APITimeoutError",
    "Agent",
    "AgentAction",
    "AgentChannel",
    "AgentDetail",
    "AgentIntegration",
    "AsyncBimpeAI",
    "AsyncPage",
    "AuthenticationError",
    "BadRequestError",
    "BimpeAIError",
    "Call",
    "Chain",
    "ConflictError",
    "Conversation",
    "ConversationFlow",
    "ErrorCode",
    "FieldError",
    "Flow",
    "IntegrationAction",
    "IntegrationConfigField",
    "InternalServerError",
    "KnowledgeBaseItem",
    "Message",
    "MessageAttachment",
    "MessageStream",
    "Middleware",
    "Model",
    "NotFoundError",
    "PaginationMeta",
    "PermissionDeniedError",
    "RateLimitError",
    "RateLimitSnapshot",
    "Request",
    "RequestOptions",
    "Response",
    "Rule",
    "StreamMessageEvent",
    "StreamTicket",
    "UserError",
    "ValidationError",
    "Workflow",
    "WorkflowSummary",
    "__version__",
]

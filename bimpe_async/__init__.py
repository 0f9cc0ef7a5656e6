"""Async-only client for the BimpeAI Agent Console API.

async with AsyncBimpeAI(api_key="sk_...") as client:
    page = await client.agents.list(limit=50)
    async for agent in page:
        print(agent.name)
"""

from __future__ import annotations

from ._http import Request, RequestOptions, Response
from ._options import CallOptions
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
    ClientClosedError,
    ConflictError,
    ErrorCode,
    FieldError,
    InsecureTransportWarning,
    InternalServerError,
    LimiterTimeoutError,
    NotFoundError,
    PermissionDeniedError,
    PoolTimeoutError,
    RateLimitError,
    ResponseTooLargeError,
    UserError,
    ValidationError,
)
from .middleware import Chain, Middleware, RateLimitSnapshot
from .models import (
    Agent,
    AgentAction,
    AgentChannel,
    AgentCreateResponse,
    AgentDetail,
    AgentIntegration,
    AgentLiveStatus,
    AgentTestCode,
    BimpeaiIntegration,
    BulkActionUpdate,
    Call,
    CallDetail,
    Content,
    Conversation,
    ConversationAiStatus,
    ConversationDetail,
    ConversationFlow,
    CustomApiIntegration,
    DeploymentChannels,
    Flow,
    IntegrationAction,
    IntegrationConfigField,
    IntegrationSummary,
    IntegrationTool,
    KnowledgeBaseItem,
    KnowledgeBaseSummary,
    MakeCallResult,
    McpServerDiscoverResult,
    McpServerIntegration,
    McpServerTestResult,
    Message,
    MessageAttachment,
    Model,
    OnboardingUrl,
    PaginationMeta,
    PhoneNumber,
    PhoneNumberDetail,
    PhoneNumberRequest,
    PipedreamIntegration,
    Rule,
    StreamHeartbeatEvent,
    StreamMessageEvent,
    StreamTicket,
    Workflow,
    WorkflowDetail,
    WorkflowSummary,
)
from .models.common import ApiResponse
from .pagination import AsyncPage
from .streaming.reader import MessageStream

Page = AsyncPage
"""The official SDK's name for a page; this client is async-only, so it is ``AsyncPage``."""

__all__ = [
    "APIConnectionError",
    "APIError",
    "APINotImplementedError",
    "APIResponseValidationError",
    "APITimeoutError",
    "Agent",
    "AgentAction",
    "AgentChannel",
    "AgentCreateResponse",
    "AgentDetail",
    "AgentIntegration",
    "AgentLiveStatus",
    "AgentTestCode",
    "ApiResponse",
    "AsyncBimpeAI",
    "AsyncPage",
    "AuthenticationError",
    "BadRequestError",
    "BimpeAIError",
    "BimpeaiIntegration",
    "BulkActionUpdate",
    "Call",
    "CallDetail",
    "CallOptions",
    "Chain",
    "ClientClosedError",
    "ConflictError",
    "Content",
    "Conversation",
    "ConversationAiStatus",
    "ConversationDetail",
    "ConversationFlow",
    "CustomApiIntegration",
    "DeploymentChannels",
    "ErrorCode",
    "FieldError",
    "Flow",
    "InsecureTransportWarning",
    "IntegrationAction",
    "IntegrationConfigField",
    "IntegrationSummary",
    "IntegrationTool",
    "InternalServerError",
    "KnowledgeBaseItem",
    "KnowledgeBaseSummary",
    "LimiterTimeoutError",
    "MakeCallResult",
    "McpServerDiscoverResult",
    "McpServerIntegration",
    "McpServerTestResult",
    "Message",
    "MessageAttachment",
    "MessageStream",
    "Middleware",
    "Model",
    "NotFoundError",
    "OnboardingUrl",
    "Page",
    "PaginationMeta",
    "PermissionDeniedError",
    "PhoneNumber",
    "PhoneNumberDetail",
    "PhoneNumberRequest",
    "PipedreamIntegration",
    "PoolTimeoutError",
    "RateLimitError",
    "RateLimitSnapshot",
    "Request",
    "RequestOptions",
    "Response",
    "ResponseTooLargeError",
    "Rule",
    "StreamHeartbeatEvent",
    "StreamMessageEvent",
    "StreamTicket",
    "UserError",
    "ValidationError",
    "Workflow",
    "WorkflowDetail",
    "WorkflowSummary",
    "__version__",
]


def __getattr__(name: str) -> object:
    if name == "BimpeAI":
        raise ImportError(
            "bimpe_async is async-only and has no BimpeAI: use AsyncBimpeAI "
            "(same resources and methods, awaited)"
        )
    raise AttributeError(f"module 'bimpe_async' has no attribute {name!r}")

"""The middleware chain and its built-ins, one module each, in default order."""

from __future__ import annotations

from .._http import Handler
from .auth import AuthMiddleware
from .chain import Chain, Middleware, middleware_name
from .idempotency import IdempotencyMiddleware
from .logging import LoggingMiddleware, mask_url
from .opentelemetry import OpenTelemetryMiddleware
from .rate_limit import (
    FeedbackLimiter,
    Limiter,
    RateLimitMiddleware,
    RateLimitSnapshot,
    ServerHold,
    TokenBucket,
)
from .request_id import RequestIdMiddleware
from .retry import Backoff, RetryMiddleware, is_retryable
from .shared_rate_limit import RedisUnavailableError, SharedRateLimit

__all__ = [
    "AuthMiddleware",
    "Backoff",
    "Chain",
    "FeedbackLimiter",
    "Handler",
    "IdempotencyMiddleware",
    "Limiter",
    "LoggingMiddleware",
    "Middleware",
    "OpenTelemetryMiddleware",
    "RateLimitMiddleware",
    "RateLimitSnapshot",
    "RedisUnavailableError",
    "RequestIdMiddleware",
    "RetryMiddleware",
    "ServerHold",
    "SharedRateLimit",
    "TokenBucket",
    "default_chain",
    "is_retryable",
    "mask_url",
    "middleware_name",
]


def default_chain(
    api_key: str,
    rate_limit: RateLimitMiddleware | None = None,
    retry: RetryMiddleware | None = None,
) -> Chain:
    """The built-in chain, outermost first.

    request_id and idempotency sit outside retry so every attempt shares them; auth
    signs each attempt identically; rate_limit and logging sit inside retry so they see
    every attempt with its real status.
    """
    return Chain(
        [
            RequestIdMiddleware(),
            IdempotencyMiddleware(),
            AuthMiddleware(api_key),
            retry or RetryMiddleware(),
            rate_limit or RateLimitMiddleware(),
            LoggingMiddleware(),
        ]
    )

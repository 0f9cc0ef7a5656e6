"""``AsyncBimpeAI``: configuration, session ownership, chain assembly, resources.

The constructor matches the official async client, so moving over is an import change.
The client builds its middleware chain once; each call only builds a ``Request``.
"""

from __future__ import annotations

import os
import platform
from collections.abc import Mapping, Sequence
from types import TracebackType

import aiohttp

from ._core import Core, check_max_retries, check_timeout
from ._http import AiohttpSender
from ._version import __version__
from .errors import UserError
from .middleware import Chain, Middleware, RateLimitSnapshot, default_chain
from .middleware.rate_limit import RateLimitHeadersMiddleware
from .resources.agents import AsyncAgents
from .resources.calls import AsyncCalls
from .resources.conversations import AsyncConversations
from .resources.workflows import AsyncWorkflows

DEFAULT_BASE_URL = "https://api.bimpe.ai"
USER_AGENT = f"bimpe-async/{__version__} (Python/{platform.python_version()}; {platform.system()})"


class AsyncBimpeAI:
    """The async client for the BimpeAI Agent Console API.

    Use one client per process and share it: it holds a connection pool. ``async with``
    (or ``await client.aclose()``) closes the aiohttp session the client created; a
    session passed as ``http_client`` is used as is and never closed by us.

    ``middleware`` adds your own middleware to the built-in chain, innermost (below
    ``logging``, so they run once per attempt with the final headers). See
    ``client.middleware`` for the effective order.
    """

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float | None = 30.0,
        max_retries: int = 2,
        default_headers: Mapping[str, str] | None = None,
        http_client: aiohttp.ClientSession | None = None,
        middleware: Sequence[Middleware] = (),
    ) -> None:
        if not isinstance(api_key, str) or not api_key.strip():
            raise UserError("api_key must be a non-empty string (keys start with 'sk_')")
        if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
            raise UserError(f"base_url must be an http(s) URL, got {base_url!r}")
        check_timeout("timeout", timeout)
        check_max_retries("max_retries", max_retries)
        if http_client is not None and not isinstance(http_client, aiohttp.ClientSession):
            raise UserError("http_client must be an aiohttp.ClientSession")

        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self._session = http_client
        self._owns_session = http_client is None
        self._closed = False

        chain = default_chain(api_key)
        self._middleware = Chain([*chain, *middleware])
        headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        headers.update(default_headers or {})
        self._core = Core(
            base_url=self.base_url,
            headers=headers,
            timeout=timeout,
            max_retries=max_retries,
            handler=self._middleware.compose(AiohttpSender(self._get_session)),
            session=self._get_session,
        )
        self.agents = AsyncAgents(self._core)
        self.workflows = AsyncWorkflows(self._core)
        self.conversations = AsyncConversations(self._core)
        self.calls = AsyncCalls(self._core)

    @classmethod
    def from_env(cls, **kwargs: object) -> AsyncBimpeAI:
        """A client keyed from ``BIMPEAI_API_KEY`` (and ``BIMPEAI_BASE_URL`` if set)."""
        api_key = os.environ.get("BIMPEAI_API_KEY")
        if not api_key:
            raise UserError("BIMPEAI_API_KEY is not set")
        base_url = os.environ.get("BIMPEAI_BASE_URL")
        if base_url:
            kwargs.setdefault("base_url", base_url)
        return cls(api_key, **kwargs)  # type: ignore[arg-type]

    @property
    def middleware(self) -> Chain:
        """The effective middleware chain, outermost first."""
        return self._middleware

    @property
    def rate_limit(self) -> RateLimitSnapshot | None:
        """The server's rate-limit headers as last seen (None before any response)."""
        if "rate_limit" not in self._middleware:
            return None
        observer = self._middleware["rate_limit"]
        return observer.snapshot if isinstance(observer, RateLimitHeadersMiddleware) else None

    def _get_session(self) -> aiohttp.ClientSession:
        if self._closed:
            raise UserError("this client is closed; create a new AsyncBimpeAI")
        if self._session is None:
            # Created on first use, inside the running loop (aiohttp requires one).
            self._session = aiohttp.ClientSession()
        elif self._session.closed:
            raise UserError("the aiohttp.ClientSession given as http_client is closed")
        return self._session

    async def aclose(self) -> None:
        """Close the session this client created (a caller's session is left open)."""
        self._closed = True
        session, self._session = self._session, None
        if session is not None and self._owns_session:
            await session.close()

    async def __aenter__(self) -> AsyncBimpeAI:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AsyncBimpeAI(base_url={self.base_url!r}, api_key='***')"

"""``AsyncBimpeAI``: configuration, session ownership, chain assembly, resources.

The constructor matches the official async client, so moving over is an import change.
The client builds its middleware chain once; each call only builds a ``Request``.
"""

from __future__ import annotations

import inspect
import os
import platform
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, TypeVar

import aiohttp
from typing_extensions import Unpack

from ._checks import (
    check_api_key,
    check_base_url,
    check_headers,
    check_max_retries,
    check_positive_int,
    check_positive_number,
    check_timeout,
    warn_if_plain_http,
)
from ._core import Core, adhoc_endpoint
from ._endpoint import HTTPMethod
from ._http import DEFAULT_MAX_RESPONSE_BYTES, AiohttpSender
from ._options import CallOptions
from ._pool import DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_STREAM_CONNECTIONS
from ._session import SessionHolder
from ._version import __version__
from .errors import UserError
from .middleware import (
    Chain,
    Limiter,
    Middleware,
    RateLimitMiddleware,
    RateLimitSnapshot,
    RetryMiddleware,
    ServerHold,
    TokenBucket,
    default_chain,
)
from .middleware.rate_limit import DEFAULT_MAX_HOLD
from .models.common import ApiResponse
from .resources.agents import AsyncAgents
from .resources.calls import AsyncCalls
from .resources.conversations import AsyncConversations
from .resources.phone_numbers import AsyncPhoneNumbers
from .resources.workflows import AsyncWorkflows

T = TypeVar("T")

DEFAULT_BASE_URL = "https://api.bimpe.ai"
USER_AGENT = f"bimpe-async/{__version__} (Python/{platform.python_version()}; {platform.system()})"


def _text(text: str) -> str:
    return text


_ENVIRONMENT: tuple[tuple[str, str, Callable[[str], object]], ...] = (
    ("BIMPEAI_BASE_URL", "base_url", _text),
    ("BIMPEAI_TIMEOUT", "timeout", float),
    ("BIMPEAI_MAX_RETRIES", "max_retries", int),
    ("BIMPEAI_REQUESTS_PER_MINUTE", "requests_per_minute", float),
    ("BIMPEAI_BURST", "burst", int),
)
"""What ``from_env`` reads: variable, constructor argument, parser."""
_ENVIRONMENT_KINDS: dict[Callable[[str], object], str] = {
    _text: "a URL",
    float: "a number",
    int: "an integer",
}


class NotGiven:
    """The default of arguments where None is a meaningful value (``timeout=None``)."""

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()


def resolve_chain(
    built_in: Chain, middleware: Sequence[Middleware] | Chain | Callable[[Chain], Chain]
) -> Chain:
    """The effective chain for the ``middleware=`` argument (see ``AsyncBimpeAI``)."""
    if isinstance(middleware, Chain):
        return middleware
    if (
        hasattr(middleware, "name")  # the built-ins and named middleware objects
        or inspect.iscoroutinefunction(middleware)
        or inspect.iscoroutinefunction(type(middleware).__call__)
    ):
        raise UserError("middleware= takes a list of middleware: write middleware=[mw]")
    if callable(middleware):
        chain = middleware(built_in)
        if not isinstance(chain, Chain):
            raise UserError(f"the middleware function must return a Chain, got {chain!r}")
        return chain
    return built_in.append(*middleware)


class AsyncBimpeAI:
    """The async client for the BimpeAI Agent Console API.

    Use one client per event loop and share it between tasks: it holds a connection
    pool, which belongs to the loop the client is first used in. Using it from another
    loop (a second ``asyncio.run()``, another test's loop, another thread) raises
    ``UserError`` instead of aiohttp's loop errors. ``async with`` (or ``await
    client.aclose()``) closes the aiohttp session the client created once the calls in
    flight are done; a session passed as ``http_client`` is used as is and never
    closed by us.

    ``middleware`` is one of:

    - a list of your own middleware, added innermost (below ``logging``: they run once
      per attempt and see the final headers);
    - a function that receives the built-in ``Chain`` and returns the one to use, e.g.
      ``lambda chain: chain.insert_before("retry", tracing).without("logging")``;
    - a complete ``Chain`` (then nothing built-in is added, not even ``auth``).

    ``requests_per_minute`` / ``burst`` turn on client-side rate limiting (a token
    bucket shared by every task using this client); ``adaptive_rate_limit`` also holds
    requests back when the server reports its window spent or answers 429.
    ``burst`` needs ``requests_per_minute``. ``rate_limit`` takes a limiter of your own
    instead, such as ``SharedRateLimit`` (one budget for every process on a key, in
    Redis); ``aclose()`` also closes it when it has an ``aclose()``.

    ``total_timeout`` bounds a whole call, retries and their waits included (default
    ``timeout * (max_retries + 1)``); ``max_hold`` caps a hold the server imposes
    through ``Retry-After`` or ``X-RateLimit-Reset`` (default 60 s).
    ``max_connections`` is how many connections calls may hold at once (a call that
    finds none free within its timeout gets ``PoolTimeoutError``), and
    ``max_stream_connections`` how many message streams may be open at once: streams
    have a pool of their own, so they never starve calls. With ``http_client`` the
    caller's session and its pool serve both, and these two do not apply.

    ``max_response_bytes`` caps a success body, counted after decompression and
    enforced while reading (``ResponseTooLargeError`` beyond it); of error bodies only
    the first 64 KiB are kept. Arguments are checked here, before any I/O: a bad one
    (a key or header with CR/LF, a URL without host, a NaN timeout) is a ``UserError``
    naming it, and never echoes the key. A plain-http ``base_url`` whose host is not
    loopback draws an ``InsecureTransportWarning``: the key would travel unencrypted.
    ``trust_env`` (on by default, as in httpx and requests) lets the sessions the
    client creates take their proxy from the environment (``HTTP(S)_PROXY``,
    ``NO_PROXY``), looked up once. ``client.middleware`` shows the effective chain, outermost first.
    """

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str | None = None,
        timeout: float | None = 30.0,
        max_retries: int = 2,
        default_headers: Mapping[str, str] | None = None,
        http_client: aiohttp.ClientSession | None = None,
        middleware: Sequence[Middleware] | Chain | Callable[[Chain], Chain] = (),
        requests_per_minute: float | None = None,
        burst: int | None = None,
        adaptive_rate_limit: bool = False,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        total_timeout: float | None = None,
        max_hold: float = DEFAULT_MAX_HOLD,
        max_connections: int = DEFAULT_MAX_CONNECTIONS,
        max_stream_connections: int = DEFAULT_MAX_STREAM_CONNECTIONS,
        trust_env: bool = True,
        rate_limit: Limiter | None = None,
    ) -> None:
        if base_url is None:
            base_url = DEFAULT_BASE_URL
        check_api_key(api_key)
        check_base_url(base_url)
        check_timeout("timeout", timeout)
        check_max_retries("max_retries", max_retries)
        if default_headers is not None:
            check_headers("default_headers", default_headers)
        if http_client is not None and not isinstance(http_client, aiohttp.ClientSession):
            raise UserError("http_client must be an aiohttp.ClientSession")
        if rate_limit is not None and (requests_per_minute is not None or burst is not None):
            raise UserError(
                "rate_limit= is a limiter with its own budget: drop requests_per_minute/burst"
            )
        if rate_limit is not None and not all(
            callable(getattr(rate_limit, name, None))
            for name in ("acquire", "hold_until", "hold_for")
        ):
            raise UserError("rate_limit must be a Limiter (acquire, hold_until, hold_for)")
        if burst is not None and requests_per_minute is None:
            # TokenBucket checks both values; without it, burst would be ignored.
            raise UserError("burst only applies with requests_per_minute; set both")
        if not isinstance(adaptive_rate_limit, bool):
            raise UserError(
                f"adaptive_rate_limit must be True or False, got {adaptive_rate_limit!r}"
            )
        check_positive_int("max_response_bytes", max_response_bytes)
        check_timeout("total_timeout", total_timeout)
        check_positive_number("max_hold", max_hold)
        check_positive_int("max_connections", max_connections)
        check_positive_int("max_stream_connections", max_stream_connections)
        if not isinstance(trust_env, bool):
            raise UserError(f"trust_env must be True or False, got {trust_env!r}")
        warn_if_plain_http(base_url)

        self.base_url = base_url.rstrip("/")
        self._parent: AsyncBimpeAI | None = None
        self._sessions = SessionHolder(
            http_client,
            max_connections=max_connections,
            max_stream_connections=max_stream_connections,
            trust_env=trust_env,
            base_url=base_url,
        )
        self._max_response_bytes = max_response_bytes
        self._headers = {"Accept": "application/json", "User-Agent": USER_AGENT}
        self._headers.update(default_headers or {})
        self._rate_limit = rate_limit
        limiter: Limiter | None = rate_limit
        if limiter is None and requests_per_minute is not None:
            limiter = TokenBucket(requests_per_minute, 1 if burst is None else burst)
        elif limiter is None and adaptive_rate_limit:
            limiter = ServerHold()
        built_in = default_chain(
            api_key,
            RateLimitMiddleware(limiter, adaptive=adaptive_rate_limit, max_hold=max_hold),
            RetryMiddleware(total_timeout=total_timeout),
        )
        self._wire(resolve_chain(built_in, middleware), timeout, max_retries)

    def _wire(self, chain: Chain, timeout: float | None, max_retries: int) -> None:
        """Compose ``chain`` once and hang every resource off the resulting pipeline."""
        self.timeout = timeout
        self.max_retries = max_retries
        self._middleware = chain
        self._core = Core(
            base_url=self.base_url,
            headers=self._headers,
            timeout=timeout,
            max_retries=max_retries,
            handler=chain.compose(
                AiohttpSender(self._sessions, max_response_bytes=self._max_response_bytes)
            ),
            session=self._sessions.get_for_streams,
        )
        # A stream connection is no request/response exchange: only middleware that
        # say they observe streams (tracing, metrics) see it being opened.
        self._core.observe_streams = Chain(
            [item for item in chain if getattr(item, "observes_streams", False)]
        ).compose
        self.agents = AsyncAgents(self._core)
        self.workflows = AsyncWorkflows(self._core)
        self.conversations = AsyncConversations(self._core)
        self.calls = AsyncCalls(self._core)
        self.phone_numbers = AsyncPhoneNumbers(self._core)

    async def request(
        self,
        method: HTTPMethod,
        path: str,
        *,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, object] | None = None,
        body: Mapping[str, object] | None = None,
        cast_to: type[T] | Any = Any,
        raw_response: bool = False,
        **options: Unpack[CallOptions],
    ) -> Any:
        """Call an endpoint this SDK does not know yet, through the same chain.

        ``path`` is a template under ``/api/v1/console`` whose ``{names}`` are filled
        from ``path_params`` (percent-encoded like every id); ``query`` and ``body``
        are sent as given (``body`` as JSON). The envelope's ``data`` is decoded into
        ``cast_to`` (a model, ``list[Model]``, ...; plain Python objects by default;
        ``None`` for operations that return nothing). Retries, idempotency, rate
        limits, logging and errors work as for any other method. With
        ``raw_response=True`` the result is an ``ApiResponse`` (data, meta, request id,
        status and headers).
        """
        endpoint = adhoc_endpoint(method, path, cast_to)  # type: ignore[arg-type]
        params = path_params or {}
        if not isinstance(params, Mapping):
            raise UserError(f"path_params must be a dict, got {params!r}")
        ids = tuple(params.get(name) for name in endpoint.id_names)
        args: dict[str, Any] = dict(options)
        if query is not None:
            args["extra_query"] = {**query, **(options.get("extra_query") or {})}
        if body is not None:
            args["extra_body"] = {**body, **(options.get("extra_body") or {})}
        if not raw_response:
            return await self._core.call(endpoint, ids, args)
        envelope, response = await self._core.send(
            endpoint, self._core.build_request(endpoint, ids, args)
        )
        return ApiResponse(
            data=envelope.data,
            meta=envelope.meta,
            request_id=response.request_id,
            status=response.status,
            headers=response.headers,
        )

    def with_options(
        self,
        *,
        timeout: float | NotGiven | None = NOT_GIVEN,
        max_retries: int | None = None,
        headers: Mapping[str, str] | None = None,
        middleware: Sequence[Middleware] | Chain | Callable[[Chain], Chain] = (),
    ) -> AsyncBimpeAI:
        """A view of this client with other defaults, extra headers or extra middleware.

        It shares this client's session and middleware objects (so also its rate-limit
        state), composes its own chain once, and closing it closes nothing: use it
        for a group of calls that need, say, a tracing middleware or a longer timeout.
        """
        new_timeout = self.timeout if isinstance(timeout, NotGiven) else timeout
        new_retries = self.max_retries if max_retries is None else max_retries
        check_timeout("timeout", new_timeout)
        check_max_retries("max_retries", new_retries)
        view = object.__new__(AsyncBimpeAI)
        view.base_url = self.base_url
        if headers is not None:
            check_headers("headers", headers)
        view._sessions = self._sessions
        view._max_response_bytes = self._max_response_bytes
        view._headers = {**self._headers, **(headers or {})}
        view._parent = self
        view._wire(resolve_chain(self._middleware, middleware), new_timeout, new_retries)
        return view

    @classmethod
    def from_env(cls, **kwargs: object) -> AsyncBimpeAI:
        """A client configured from the environment; keyword arguments win over it.

        ``BIMPEAI_API_KEY`` (required), and when set: ``BIMPEAI_BASE_URL``,
        ``BIMPEAI_TIMEOUT`` (seconds), ``BIMPEAI_MAX_RETRIES``,
        ``BIMPEAI_REQUESTS_PER_MINUTE`` and ``BIMPEAI_BURST``. A value that does not
        parse is a ``UserError`` naming the variable.
        """
        api_key = os.environ.get("BIMPEAI_API_KEY")
        if not api_key:
            raise UserError("BIMPEAI_API_KEY is not set")
        from_variables: dict[str, str] = {}
        for variable, argument, parse in _ENVIRONMENT:
            text = os.environ.get(variable)
            if text is None or text.strip() == "" or argument in kwargs:
                continue
            try:
                value = parse(text.strip())
            except ValueError:
                raise UserError(
                    f"{variable} must be {_ENVIRONMENT_KINDS[parse]}, got {text!r}"
                ) from None
            kwargs[argument] = value
            from_variables[argument] = variable
        try:
            return cls(api_key, **kwargs)  # type: ignore[arg-type]
        except UserError as error:
            # "timeout must be ..." names the argument; say which variable set it.
            culprit = next((v for a, v in from_variables.items() if str(error).startswith(a)), None)
            if culprit is None:
                raise
            raise UserError(f"{culprit}: {error}") from None

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
        return observer.snapshot if isinstance(observer, RateLimitMiddleware) else None

    @property
    def _session(self) -> aiohttp.ClientSession | None:
        """The aiohttp session in use (None before the first call and after closing)."""
        return self._sessions.session

    def _get_session(self) -> aiohttp.ClientSession:
        return self._sessions.get()

    async def aclose(self) -> None:
        """Close the client: new calls are refused, calls in flight are let finish.

        The HTTP exchanges in progress complete (each within its timeout) and their
        callers get their results; a call that would start another attempt afterwards
        gets ``ClientClosedError`` (an earlier attempt was sent) and one that has sent
        nothing gets ``UserError``. Then the sessions the client created are closed (a
        caller's session is left open), which also ends open message streams. Closing
        a view made by ``with_options`` closes nothing.
        """
        if self._parent is None:
            await self._sessions.close()
            closer = getattr(self._rate_limit, "aclose", None)
            if closer is not None:
                await closer()

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

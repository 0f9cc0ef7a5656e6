"""The aiohttp application: the middleware chain plus every route of API 0.4.1 (and the
0.1.0 paths old clients still call)."""

from __future__ import annotations

from aiohttp import web

from . import (
    routes_agents,
    routes_calls,
    routes_conversations,
    routes_integrations,
    routes_knowledge,
    routes_phone_numbers,
    routes_stream,
    routes_workflows,
)
from .context import CONTEXT, Context
from .pipeline import MIDDLEWARES


def build_app(context: Context) -> web.Application:
    app = web.Application(middlewares=MIDDLEWARES)
    app[CONTEXT] = context
    # Literal path segments win over ids because their routes are added first: the
    # stream routes go before the conversation routes, so that ``.../messages/stream``
    # is never taken for a message id by ``.../messages/{message_id}``; each module
    # adds its own literals (``conversations/messages``, ``workflows/clone``,
    # ``phone-numbers/request``, ``.../configure``) before its id routes.
    for module in (
        routes_agents,
        routes_knowledge,
        routes_integrations,
        routes_workflows,
        routes_stream,
        routes_conversations,
        routes_calls,
        routes_phone_numbers,
    ):
        app.add_routes(module.routes)
    return app

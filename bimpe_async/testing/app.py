"""The aiohttp application: the middleware chain plus every route of the seed surface."""

from __future__ import annotations

from aiohttp import web

from . import (
    routes_agents,
    routes_calls,
    routes_conversations,
    routes_knowledge,
    routes_stream,
    routes_workflows,
)
from .context import CONTEXT, Context
from .pipeline import MIDDLEWARES


def build_app(context: Context) -> web.Application:
    app = web.Application(middlewares=MIDDLEWARES)
    app[CONTEXT] = context
    # The stream routes go before the conversation routes, so that ``.../messages/stream``
    # is never taken for a message id by a ``.../messages/{message_id}`` route.
    for module in (
        routes_agents,
        routes_knowledge,
        routes_workflows,
        routes_stream,
        routes_conversations,
        routes_calls,
    ):
        app.add_routes(module.routes)
    return app

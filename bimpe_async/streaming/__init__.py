"""Live message streams: the SSE parser, one connection, the reconnect policy, the reader."""

from .reader import MessageBatches, MessageStream
from .sse import EventParser, ServerSentEvent, SSEParser

__all__ = ["EventParser", "MessageBatches", "MessageStream", "SSEParser", "ServerSentEvent"]

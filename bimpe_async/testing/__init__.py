"""An embedded BimpeAI Agent Console API server for tests, demos and benchmarks.

It models the server independently of the client (it imports nothing else from
``bimpe_async``), so a client bug cannot hide behind shared code.
"""

from .emulator import Emulator
from .faults import Faults
from .quirks import Quirks
from .records import RecordedRequest

__all__ = ["Emulator", "Faults", "Quirks", "RecordedRequest"]

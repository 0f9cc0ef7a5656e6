"""Server behaviour a test may switch, at any time, on ``Emulator.quirks``.

``workflow_placeholders`` (off by default)
    The real server leaves ``[]`` placeholders inside workflow lists. When on, every
    workflow the emulator sends (retrieve, list, create, update, clone, and the
    ``workflow`` of a new agent) carries them: a ``[]`` before and after the real items
    of ``rules``, ``flows`` and ``faq`` (a null ``faq`` stays null), and two more at
    the end of ``setup_steps``, so an empty ``setup_steps`` reads ``[[], []]``. The
    stored workflows do not change. Seeded workflows carry some placeholders of their
    own either way, and some have ``tags: null``, so a client meets both unasked.

``legacy_bodies`` (off by default)
    Off, the emulator holds every body to the 0.4.1 contract, as the real API does, so
    a test catches a body the server would refuse. On, request bodies written for API
    0.1.0 are still accepted (the SDK's own tests of 0.1.0 code use this); it relaxes
    exactly this:

    - ``POST /agents`` needs only ``name`` (0.4.1 also requires ``workflow_id`` and
      ``description``; a missing description is stored as ``""``);
    - ``PATCH /agents/{id}`` may set ``status`` (0.4.1 uses ``.../live-status``);
    - ``POST /workflows`` needs only ``name`` (0.4.1 also requires ``system_prompt``);
    - a workflow rule may leave out ``id`` (generated) and ``enabled`` (true);
    - the conversation ``channel`` filter also takes ``messenger``, ``instagram``,
      ``test_messenger`` and ``test_instagram``.

    Accepted either way, because old and new clients both rely on them: the agent
    field ``agent_workflow_id`` (read as ``workflow_id``), a workflow's
    ``visibility``, and ``attachments`` on a sent message.

Use ``Emulator(quirks=Quirks(workflow_placeholders=True, legacy_bodies=True))`` or
flip ``emulator.quirks.legacy_bodies = True`` in the middle of a test.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from .models_workflows import Workflow


@dataclass
class Quirks:
    workflow_placeholders: bool = False
    legacy_bodies: bool = False


def with_placeholders(workflow: Workflow) -> Workflow:
    """``workflow`` as the real server might send it: ``[]`` around the real items."""
    faq = None if workflow.faq is None else [[], *workflow.faq, []]
    return msgspec.structs.replace(
        workflow,
        rules=[[], *workflow.rules, []],
        flows=[[], *workflow.flows, []],
        faq=faq,
        setup_steps=[*workflow.setup_steps, [], []],
    )

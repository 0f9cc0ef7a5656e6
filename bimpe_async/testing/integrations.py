"""Every agent's integrations, of all four families, and the actions they provide.

One record type serves every family, so the API's many views of the same things (the
family lists, ``GET .../integrations``, the agent's detail, ``GET .../actions``, a
family's tool list) can never disagree: an action enabled in one shows everywhere.
An integration's tools *are* its actions; ``definition`` keeps a custom tool's body.

``family_ops.py`` has what is particular to each family; this module only stores,
finds, removes and presents.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .errors import not_found
from .models_integrations import (
    AgentAction,
    AgentIntegration,
    ConfigField,
    IntegrationAction,
    IntegrationSummary,
    IntegrationTool,
)

FAMILIES = ("bimpeai", "custom_api", "mcp_server", "pipedream")
FAMILY_NAMES = {
    "bimpeai": "BimpeAI integration",
    "custom_api": "Custom API integration",
    "mcp_server": "MCP server integration",
    "pipedream": "Pipedream integration",
}


@dataclass
class StoredAction:
    id: str
    integration_id: str
    action_name: str
    name: str
    category: str
    description: str | None
    is_enabled: bool = True
    require_human_approval: bool = False
    definition: dict[str, Any] | None = None

    def tool(self) -> IntegrationTool:
        return IntegrationTool(
            id=self.id,
            action_name=self.action_name,
            name=self.name,
            category=self.category,
            description=self.description,
            is_enabled=self.is_enabled,
        )


@dataclass
class StoredIntegration:
    """One configured integration. ``type`` is what the API shows: the app for
    ``bimpeai`` (``paystack``, ...), else the family name itself."""

    id: str
    agent_id: str
    family: str
    type: str
    name: str
    status: str
    is_connected: bool
    settings: dict[str, Any] = field(default_factory=dict)
    config_fields: list[ConfigField] = field(default_factory=list)
    actions: dict[str, StoredAction] = field(default_factory=dict)

    def add_action(self, action: StoredAction) -> StoredAction:
        self.actions[action.id] = action
        return action

    def summary(self) -> IntegrationSummary:
        return IntegrationSummary(
            id=self.id,
            type=self.type,
            name=self.name,
            status=self.status,
            is_connected=self.is_connected,
        )

    def full(self) -> AgentIntegration:
        return AgentIntegration(
            **{name: getattr(self, name) for name in IntegrationSummary.__struct_fields__},
            config_fields=list(self.config_fields),
            actions=[
                IntegrationAction(
                    action_name=action.action_name,
                    name=action.name,
                    category=action.category,
                    description=action.description,
                    is_enabled=action.is_enabled,
                    require_human_approval=action.require_human_approval,
                )
                for action in self.actions.values()
            ],
        )


class Integrations:
    """Integrations per agent, in the order they were added."""

    def __init__(self, require_agent: Callable[[str], object], new_id: Callable[[str], str]):
        self._require_agent = require_agent
        self.new_id = new_id
        self.by_agent: dict[str, dict[str, StoredIntegration]] = {}

    def add(self, integration: StoredIntegration) -> StoredIntegration:
        self.by_agent.setdefault(integration.agent_id, {})[integration.id] = integration
        return integration

    def create(self, integration: StoredIntegration) -> StoredIntegration:
        """Adds an integration configured through the API (404 if its agent is gone)."""
        self._require_agent(integration.agent_id)
        return self.add(integration)

    def of(self, agent_id: str, family: str | None = None) -> list[StoredIntegration]:
        self._require_agent(agent_id)
        every = self.by_agent.get(agent_id, {}).values()
        return [item for item in every if family is None or item.family == family]

    def get(self, agent_id: str, family: str, integration_id: str) -> StoredIntegration:
        """One integration of ``family``; an id of another family is not found either."""
        self._require_agent(agent_id)
        found = self.by_agent.get(agent_id, {}).get(integration_id)
        if found is None or found.family != family:
            raise not_found(FAMILY_NAMES[family])
        return found

    def remove(self, agent_id: str, family: str, integration_id: str) -> None:
        self.get(agent_id, family, integration_id)
        del self.by_agent[agent_id][integration_id]

    def forget_agent(self, agent_id: str) -> None:
        self.by_agent.pop(agent_id, None)

    def _actions(self, agent_id: str) -> Iterable[tuple[StoredIntegration, StoredAction]]:
        for integration in self.of(agent_id):
            for action in integration.actions.values():
                yield integration, action

    def agent_actions(self, agent_id: str) -> list[AgentAction]:
        return [
            AgentAction(
                id=action.id,
                integration_id=integration.id,
                integration_type=integration.type,
                integration_name=integration.name,
                name=action.name,
                action_name=action.action_name,
                description=action.description,
                is_enabled=action.is_enabled,
            )
            for integration, action in self._actions(agent_id)
        ]

    def set_enabled(self, agent_id: str, action_ids: Iterable[str], enabled: bool) -> int:
        """Switches the agent's actions among ``action_ids``; returns how many there were.

        Ids the agent has no action for are skipped, as a bulk update does.
        """
        wanted = set(action_ids)
        count = 0
        for _, action in self._actions(agent_id):
            if action.id in wanted:
                action.is_enabled = enabled
                count += 1
        return count

"""What the emulated platform offers: its built-in apps, and the tools an MCP server has.

Configuring a built-in app gives the agent that app's actions; discovering an MCP
server finds the same small tool set on every server, so tests know what to expect.
Hosts under ``.invalid`` (a name that never resolves) are the way to make an MCP
server unreachable.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from .models_integrations import ConfigField

ONBOARDING_BASE = "https://console.bimpe.example/integrations"
PIPEDREAM_MCP_BASE = "https://remote.mcp.pipedream.example"


@dataclass(frozen=True)
class ActionSpec:
    action_name: str
    name: str
    description: str
    require_human_approval: bool = False


@dataclass(frozen=True)
class App:
    name: str
    category: str
    config_fields: tuple[ConfigField, ...]
    actions: tuple[ActionSpec, ...]


def _secret(key: str, label: str) -> ConfigField:
    return ConfigField(key=key, label=label, type="password", required=True)


APPS: dict[str, App] = {
    "bumpa": App(
        name="Bumpa",
        category="commerce",
        config_fields=(_secret("token", "Store token"),),
        actions=(
            ActionSpec("list_products", "List products", "Show products and their stock"),
            ActionSpec("create_order", "Create order", "Place an order for the customer", True),
        ),
    ),
    "google_calendar": App(
        name="Google Calendar",
        category="scheduling",
        config_fields=(),
        actions=(
            ActionSpec("create_event", "Book appointment", "Create a calendar event"),
            ActionSpec("find_free_slots", "Find free slots", "List open times on the calendar"),
        ),
    ),
    "google_sheets": App(
        name="Google Sheets",
        category="data",
        config_fields=(),
        actions=(ActionSpec("append_row", "Log to sheet", "Add a row to a spreadsheet"),),
    ),
    "paystack": App(
        name="Paystack",
        category="payments",
        config_fields=(_secret("secret_key", "Secret key"),),
        actions=(
            ActionSpec("create_payment_link", "Create payment link", "Send a link to pay", True),
            ActionSpec("verify_payment", "Verify payment", "Check that a payment landed"),
        ),
    ),
    "stripe": App(
        name="Stripe",
        category="payments",
        config_fields=(
            _secret("secret_key", "Secret key"),
            ConfigField(key="currency", label="Currency", type="text", required=False),
        ),
        actions=(
            ActionSpec("create_checkout", "Create checkout", "Start a Stripe checkout", True),
            ActionSpec("refund_payment", "Refund payment", "Refund a charge", True),
        ),
    ),
}

MCP_TOOLS: tuple[ActionSpec, ...] = (
    ActionSpec("search_documents", "Search documents", "Full-text search over documents"),
    ActionSpec("fetch_document", "Fetch document", "Read one document by id"),
    ActionSpec("create_ticket", "Create ticket", "Open a support ticket", True),
)


def onboarding_url(kind: str, integration_id: str) -> str:
    return f"{ONBOARDING_BASE}/{kind}/connect?state={integration_id}"


def pipedream_server_url(app_slug: str) -> str:
    return f"{PIPEDREAM_MCP_BASE}/{app_slug}"


def reachable(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return not (host == "invalid" or host.endswith(".invalid"))

"""An agent's test code: how to reach it on BimpeAI's shared test lines before going live.

A person sends ``START <code>`` to the shared test account of a channel; the channel
is enabled when the agent has that channel connected (telephony: when a phone number
is assigned to it, or it has a telephony channel).
"""

from __future__ import annotations

from urllib.parse import quote

from .models import (
    AgentTestChannels,
    AgentTestCode,
    InstagramTestChannel,
    MessengerTestChannel,
    TelephonyTestChannel,
    WhatsappTestChannel,
)
from .state import State

TEST_WHATSAPP_NUMBER = "+2348000000100"
TEST_INSTAGRAM_USERNAME = "bimpeai.test"
TEST_MESSENGER_PAGE = "BimpeAI Test"


def agent_test_code(state: State, agent_id: str) -> AgentTestCode:
    agent = state.agent(agent_id)
    code = agent.test_channel_code or ""
    start = f"START {code}"
    text = quote(start)
    connected = {channel.type for channel in state.setup(agent_id).channels if channel.is_connected}
    has_line = state.phone_numbers.line_of(agent_id) is not None
    return AgentTestCode(
        code=code,
        channels=AgentTestChannels(
            whatsapp=WhatsappTestChannel(
                is_enabled="whatsapp" in connected,
                start_message=start,
                phone_number=TEST_WHATSAPP_NUMBER,
                url=f"https://wa.me/{TEST_WHATSAPP_NUMBER[1:]}?text={text}",
            ),
            instagram=InstagramTestChannel(
                is_enabled="instagram" in connected,
                start_message=start,
                username=TEST_INSTAGRAM_USERNAME,
                url=f"https://ig.me/m/{TEST_INSTAGRAM_USERNAME}",
            ),
            messenger=MessengerTestChannel(
                is_enabled="messenger" in connected,
                start_message=start,
                page=TEST_MESSENGER_PAGE,
                url=f"https://m.me/bimpeai.test?text={text}",
            ),
            telephony=TelephonyTestChannel(is_enabled=has_line or "telephony" in connected),
        ),
    )

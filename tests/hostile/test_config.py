"""Constructor and header input: every bad value is a UserError naming it, before any I/O.

A plain-http ``base_url`` to a host that is not loopback warns
(``InsecureTransportWarning``) when the client is built, before any I/O.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import pytest

from bimpe_async import APIConnectionError, AsyncBimpeAI, InsecureTransportWarning, UserError
from bimpe_async._checks import check_headers, check_timeout
from bimpe_async.middleware import RateLimitMiddleware, RetryMiddleware

SECRET = "sk_live_very_secret"


@pytest.mark.parametrize(
    "key", [f"{SECRET}\r\nX-Evil: 1", f"{SECRET}\n", f"{SECRET}\x00", f"{SECRET}\t", "\x7f"]
)
def test_an_api_key_with_a_control_character_is_refused_without_echoing_it(key: str) -> None:
    with pytest.raises(UserError, match="api_key") as caught:
        AsyncBimpeAI(key)
    assert SECRET not in str(caught.value)
    assert "\x7f" not in str(caught.value)


@pytest.mark.parametrize("headers", [["X-A", "1"], "X-A: 1", 42])
def test_default_headers_must_be_a_mapping(headers: Any) -> None:
    with pytest.raises(UserError, match="default_headers must be a mapping"):
        AsyncBimpeAI("sk_test", default_headers=headers)


@pytest.mark.parametrize(
    ("headers", "named"),
    [
        ({"X-Trace": "a\r\nX-Evil: 1"}, "X-Trace"),
        ({"X-Trace": "a\nb"}, "X-Trace"),
        ({"X-Trace": "a\x00b"}, "X-Trace"),
        ({"X-Trace": 7}, "X-Trace"),
        ({"X-Trace": None}, "X-Trace"),
        ({"X Trace": "a"}, "X Trace"),
        ({"X-Trace\r\n": "a"}, "X-Trace"),
        ({"": "a"}, "''"),
        ({7: "a"}, "7"),
    ],
)
def test_bad_default_headers_name_the_header(headers: Any, named: str) -> None:
    with pytest.raises(UserError, match="default_headers") as caught:
        AsyncBimpeAI("sk_test", default_headers=headers)
    assert named in str(caught.value)


def test_header_values_are_never_echoed() -> None:
    with pytest.raises(UserError) as caught:
        check_headers("headers", {"Authorization": f"Bearer {SECRET}\r\n"})
    assert SECRET not in str(caught.value)
    assert "Authorization" in str(caught.value)


def test_good_headers_pass() -> None:
    check_headers("headers", {"X-Trace": "a\tb c", "Accept-Language": "fr-CH, fr;q=0.9"})
    check_headers("headers", {})


@pytest.mark.parametrize(
    "url",
    [
        "http://",
        "https://",
        "http://:80",
        "http://api .example.com",
        "http://api.example.com\r\n",
        "https://api.example.com?x=1",
        "https://api.example.com/#top",
        "http://h:99999",
        "ftp://api.example.com",
    ],
)
def test_an_unusable_base_url_is_refused_at_construction(url: str) -> None:
    with pytest.raises(UserError, match="base_url"):
        AsyncBimpeAI("sk_test", base_url=url)


def test_usable_base_urls_pass() -> None:
    for url in ("http://127.0.0.1:8080", "https://api.bimpe.ai/", "http://[::1]:9/proxy"):
        AsyncBimpeAI("sk_test", base_url=url)


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, -1, 0, True, "30", 1e400])
def test_a_timeout_must_be_positive_and_finite(value: Any) -> None:
    with pytest.raises(UserError, match="timeout"):
        AsyncBimpeAI("sk_test", timeout=value)
    with pytest.raises(UserError, match="timeout"):
        check_timeout("timeout", value)


def test_a_timeout_of_none_or_a_positive_number_passes() -> None:
    for value in (None, 0.001, 30, 86_400.0):
        check_timeout("timeout", value)


@pytest.mark.parametrize("value", [0, -1, math.inf, math.nan, True, "60"])
def test_requests_per_minute_must_be_positive_and_finite(value: Any) -> None:
    with pytest.raises(UserError, match="requests_per_minute"):
        AsyncBimpeAI("sk_test", requests_per_minute=value)


@pytest.mark.parametrize("value", [0, -3, 1.5, True])
def test_burst_must_be_a_positive_integer(value: Any) -> None:
    with pytest.raises(UserError, match="burst"):
        AsyncBimpeAI("sk_test", requests_per_minute=60, burst=value)


def test_burst_without_requests_per_minute_is_refused_rather_than_ignored() -> None:
    with pytest.raises(UserError, match="burst only applies with requests_per_minute"):
        AsyncBimpeAI("sk_test", burst=10)
    with pytest.raises(UserError, match="burst only applies"):
        AsyncBimpeAI("sk_test", burst=10, adaptive_rate_limit=True)


def test_adaptive_rate_limit_must_be_a_bool() -> None:
    with pytest.raises(UserError, match="adaptive_rate_limit"):
        AsyncBimpeAI("sk_test", adaptive_rate_limit="yes")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("total_timeout", math.nan),
        ("total_timeout", 0),
        ("max_hold", 0),
        ("max_hold", math.inf),
        ("max_connections", 0),
        ("max_connections", True),
        ("max_stream_connections", 2.5),
    ],
)
def test_deadline_hold_and_pool_options_are_checked(name: str, value: Any) -> None:
    with pytest.raises(UserError, match=name):
        AsyncBimpeAI("sk_test", **{name: value})


def test_deadline_and_hold_reach_the_built_in_middleware() -> None:
    client = AsyncBimpeAI("sk_test", total_timeout=12, max_hold=5, adaptive_rate_limit=True)
    retry = client.middleware["retry"]
    rate_limit = client.middleware["rate_limit"]
    assert isinstance(retry, RetryMiddleware)
    assert isinstance(rate_limit, RateLimitMiddleware)
    assert retry.total_timeout == 12
    assert rate_limit.max_hold == 5


@pytest.mark.parametrize(
    "url", ["http://api.bimpe.ai", "http://10.0.0.7:8080", "http://localhost.example.com"]
)
def test_plain_http_to_a_host_that_is_not_loopback_warns_at_construction(url: str) -> None:
    with pytest.warns(InsecureTransportWarning, match="unencrypted"):
        client = AsyncBimpeAI(SECRET, base_url=url)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client.with_options(timeout=5)  # once per client: a view does not warn again


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080",
        "http://127.8.9.10",
        "http://localhost:3000",
        "http://api.localhost",
        "http://[::1]:9",
        "https://api.example.com",
    ],
)
def test_loopback_and_https_do_not_warn(url: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        AsyncBimpeAI("sk_test", base_url=url)


async def test_the_warned_client_still_sends_and_fails_as_usual() -> None:
    # 192.0.2.1 is TEST-NET-1: nothing answers there (refused, unreachable or silent).
    with pytest.warns(InsecureTransportWarning):
        client = AsyncBimpeAI("sk_test", base_url="http://192.0.2.1:9", timeout=0.05)
    async with client:
        with pytest.raises(APIConnectionError):
            await client.with_options(max_retries=0).agents.list()

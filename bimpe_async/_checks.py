"""Argument checks shared by the client's constructor and its per-call options.

Each check raises ``UserError`` naming the argument (and, for headers, the header) but
never echoing a value that may be a secret: an API key or an ``Authorization`` value
must not end up in a traceback or a log. Everything here runs before any I/O, so a
bad argument costs nothing on the wire and is never retried.
"""

from __future__ import annotations

import ipaddress
import math
import re
import warnings
from collections.abc import Mapping

from yarl import URL

from .errors import InsecureTransportWarning, UserError

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
"""An HTTP field name (RFC 9110 ``token``)."""

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
"""Characters no header value may carry: C0 controls but TAB, and DEL. CR and LF are
the dangerous ones (header injection); the others are rejected by servers anyway."""

_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")


def _positive_finite(value: object) -> bool:
    # bool is an int, but True is not a number of seconds; NaN fails every comparison
    # (so it would silently disable a timeout) and inf overflows inside aiohttp.
    return (
        not isinstance(value, bool)
        and isinstance(value, (int, float))
        and math.isfinite(value)
        and value > 0
    )


def check_timeout(name: str, value: object) -> None:
    """``value`` is None (no timeout) or a positive, finite number of seconds."""
    if value is not None and not _positive_finite(value):
        raise UserError(
            f"{name} must be a positive, finite number of seconds or None, got {value!r}"
        )


def check_positive_number(name: str, value: object) -> None:
    """``value`` is a positive, finite number (a rate, or a cap in seconds)."""
    if not _positive_finite(value):
        raise UserError(f"{name} must be a positive, finite number, got {value!r}")


def check_positive_int(name: str, value: object) -> None:
    """``value`` is an int >= 1 (bools are rejected: ``True`` is not a size)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise UserError(f"{name} must be an integer >= 1, got {value!r}")


def check_page_argument(name: str, value: object) -> None:
    """``page`` and ``limit``: None (the server's default) or an integer >= 1."""
    if value is not None:
        check_positive_int(name, value)


def check_max_retries(name: str, value: object) -> None:
    """``value`` is an int >= 0 (0: no retries)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise UserError(f"{name} must be an integer >= 0, got {value!r}")


def check_headers(name: str, value: object) -> None:
    """``value`` is a mapping of header names to header values, safe to put on the wire.

    Names must be HTTP tokens and values strings without control characters (CR, LF
    and NUL above all: they would let a value smuggle a header or a request). The
    error names the argument and the header, never the value.
    """
    if not isinstance(value, Mapping):
        raise UserError(f"{name} must be a mapping of header names to strings, got {value!r}")
    for header, text in value.items():
        if not isinstance(header, str) or not _TOKEN.fullmatch(header):
            raise UserError(f"{name} has an invalid header name {header!r}")
        if not isinstance(text, str):
            raise UserError(f"{name}[{header!r}] must be a string, got {type(text).__name__}")
        if _CONTROL.search(text):
            raise UserError(f"{name}[{header!r}] contains a control character (CR, LF, NUL, ...)")


def check_api_key(value: object) -> None:
    """The key is a non-empty string that can travel in an ``Authorization`` header."""
    if not isinstance(value, str) or not value.strip():
        raise UserError("api_key must be a non-empty string (keys start with 'sk_')")
    if _CONTROL.search(value) or "\t" in value:
        # The key itself is never shown: it is a secret.
        raise UserError("api_key contains a control character (CR, LF, TAB, NUL, ...)")


def check_base_url(value: object) -> None:
    """An absolute http(s) URL with a host, and no query or fragment to corrupt paths."""
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise UserError(f"base_url must be an http(s) URL, got {value!r}")
    # yarl drops CR/LF silently and accepts spaces in hosts: check the text first.
    if _CONTROL_OR_SPACE.search(value):
        raise UserError(f"base_url contains whitespace or a control character: {value!r}")
    try:
        url = URL(value)
    except ValueError as error:
        raise UserError(f"base_url is not a valid URL ({error}): {value!r}") from None
    if not url.host:
        raise UserError(f"base_url has no host: {value!r}")
    if url.query_string or url.fragment or "?" in value or "#" in value:
        raise UserError(f"base_url must not have a query or a fragment: {value!r}")


def is_loopback(host: str) -> bool:
    """``localhost`` (and its subdomains), 127.0.0.0/8 or ::1: traffic that stays local."""
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def warn_if_plain_http(base_url: str) -> None:
    """Warn that the API key would cross the network unencrypted.

    Plain http to a loopback host (the emulator, a local proxy) is fine and silent;
    to any other host the key and every payload can be read on the way, which is
    almost always a mistaken ``base_url``. A warning rather than an error, because a
    TLS-terminating sidecar on a private address is a legitimate setup: silence it
    there with ``warnings.filterwarnings("ignore", category=InsecureTransportWarning)``.
    """
    url = URL(base_url)
    if url.scheme == "http" and not is_loopback(url.host or ""):
        warnings.warn(
            f"base_url {base_url!r} is plain http to a host that is not loopback: the API "
            "key and every payload will cross the network unencrypted; use https",
            InsecureTransportWarning,
            stacklevel=3,
        )

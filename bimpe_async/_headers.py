"""Case-insensitive header mappings, whoever built them."""

from __future__ import annotations

from collections.abc import Mapping

from multidict import CIMultiDict, CIMultiDictProxy


def case_insensitive(headers: Mapping[str, str] | None) -> Mapping[str, str]:
    """``headers`` as a case-insensitive mapping (aiohttp's already are).

    Everything downstream looks headers up by lower-case name, so a response or error
    built by a middleware from a plain dict must behave the same.
    """
    if isinstance(headers, (CIMultiDictProxy, CIMultiDict)):
        return headers
    return CIMultiDictProxy(CIMultiDict(headers or {}))

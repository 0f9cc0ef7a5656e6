"""What the integration write endpoints accept: the four ``configure`` bodies and tools.

A tool (``ToolBody``) describes one HTTP call of a custom API: its URL template,
method, parameters (``Param``, nested through ``items``), templates and mapping.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from .fields import url
from .models_integrations import AUTH_TYPES, BIMPEAI_TYPES, HTTP_METHODS, PARAM_TYPES, TRANSPORTS
from .validation import BodyReader, Problems

AUTH_CONFIG_FIELDS = ("token", "api_key", "header_name", "username", "password")
RESPONSE_MAPPING_TEXTS = ("path", "success_message", "error_message")
APP_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _texts(reader: BodyReader, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: reader.text(name, nullable=False) for name in names if reader.has(name)}


def _auth(reader: BodyReader, fields: dict[str, Any]) -> None:
    if reader.has("auth_type"):
        fields["auth_type"] = reader.choice("auth_type", AUTH_TYPES)
    config = reader.mapping("auth_config")
    if config is not None:
        fields["auth_config"] = _texts(reader.child("auth_config", config), AUTH_CONFIG_FIELDS)


def bimpeai_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    problems = Problems()
    reader = BodyReader(body, problems)
    fields = {"type": reader.choice("type", BIMPEAI_TYPES, required=True)}
    fields.update(_texts(reader, ("token", "public_key", "secret_key", "currency")))
    problems.raise_if_any()
    return fields


def custom_api_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    problems = Problems()
    reader = BodyReader(body, problems)
    fields: dict[str, Any] = {"name": reader.text("name", required=True, non_empty=True)}
    fields.update(_texts(reader, ("description", "test_endpoint")))
    if reader.has("base_url"):
        fields["base_url"] = url(reader, "base_url", required=False)
    _auth(reader, fields)
    problems.raise_if_any()
    return fields


def mcp_server_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    problems = Problems()
    reader = BodyReader(body, problems)
    fields: dict[str, Any] = {
        "name": reader.text("name", required=True, non_empty=True),
        "server_url": url(reader, "server_url", required=True),
    }
    if reader.has("transport"):
        fields["transport"] = reader.choice("transport", TRANSPORTS)
    _auth(reader, fields)
    problems.raise_if_any()
    return fields


def pipedream_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    problems = Problems()
    reader = BodyReader(body, problems)
    slug = reader.text("app_slug", required=True, non_empty=True)
    if slug is not None and not APP_SLUG.match(slug):
        problems.add("app_slug", "must be a lowercase app slug such as google_sheets")
    fields: dict[str, Any] = {"app_slug": slug}
    fields.update(_texts(reader, ("app_name",)))
    if reader.has("app_icon"):
        fields["app_icon"] = url(reader, "app_icon", required=False)
    problems.raise_if_any()
    return fields


def _param(reader: BodyReader) -> dict[str, Any]:
    param: dict[str, Any] = {
        "name": reader.text("name", required=True, non_empty=True),
        "description": reader.text("description", required=True),
        "type": reader.choice("type", PARAM_TYPES, required=True),
    }
    if reader.has("required"):
        param["required"] = reader.flag("required")
    items = reader.mapping("items")
    if items is not None:
        param["items"] = _param(reader.child("items", items))
    if reader.has("properties"):
        param["properties"] = reader.mapping("properties")
    return param


def _params(reader: BodyReader, name: str) -> list[dict[str, Any]] | None:
    items = reader.objects(name)
    if items is None:
        return None
    return [_param(reader.item(name, index, item)) for index, item in enumerate(items)]


def tool_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    problems = Problems()
    reader = BodyReader(body, problems)
    fields: dict[str, Any] = {
        "name": reader.text("name", required=True, non_empty=True),
        "url_template": reader.text("url_template", required=True, non_empty=True),
        "http_method": reader.choice("http_method", HTTP_METHODS, required=True),
    }
    fields.update(_texts(reader, ("description", "category")))
    for name in ("url_params", "body_params"):
        if reader.has(name):
            fields[name] = _params(reader, name)
    for name in ("headers_template", "body_template", "auth_config"):
        if reader.has(name):
            fields[name] = reader.mapping(name)
    if reader.has("auth_type"):
        fields["auth_type"] = reader.choice("auth_type", AUTH_TYPES)
    mapping = reader.mapping("response_mapping")
    if mapping is not None:
        mapping_reader = reader.child("response_mapping", mapping)
        fields["response_mapping"] = {
            **_texts(mapping_reader, RESPONSE_MAPPING_TEXTS),
            "optional": mapping_reader.flag("optional"),
        }
    if reader.has("require_human_approval"):
        fields["require_human_approval"] = reader.flag("require_human_approval")
    if reader.has("timeout"):
        fields["timeout"] = reader.integer("timeout", minimum=1)
    problems.raise_if_any()
    return fields

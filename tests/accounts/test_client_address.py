"""The address that login throttling counts cannot be chosen by the client on Lambda."""

from __future__ import annotations

import json
from pathlib import Path

from django.test import RequestFactory
from zappa.wsgi import create_wsgi_request

from accounts.access import client_address

ROOT = Path(__file__).resolve().parents[2]


def _rest_event(headers: dict[str, str], source_ip: str) -> dict:
    return {
        "httpMethod": "POST",
        "path": "/accounts/login",
        "headers": headers,
        "multiValueHeaders": {name: [value] for name, value in headers.items()},
        "queryStringParameters": None,
        "multiValueQueryStringParameters": None,
        "body": "",
        "isBase64Encoded": False,
        "requestContext": {"identity": {"sourceIp": source_ip}, "stage": "dev"},
    }


def test_on_lambda_the_address_is_api_gateways_source_ip_whatever_the_client_sends(settings):
    stage = json.loads((ROOT / "zappa_settings.json").read_text())["dev"]
    settings.ARENA_CLIENT_IP_HEADER = stage["environment_variables"]["ARENA_CLIENT_IP_HEADER"]
    # A client that forges both X-Forwarded-For and the mapped header itself.
    forged = {"X-Forwarded-For": "1.1.1.1, 2.2.2.2", "X-Arena-Source-Ip": "3.3.3.3", "Host": "example.com"}
    environ = create_wsgi_request(
        _rest_event(forged, "203.0.113.9"), context_header_mappings=stage["context_header_mappings"]
    )
    request = RequestFactory().generic("POST", "/accounts/login", **environ)
    assert request.META["REMOTE_ADDR"] == "1.1.1.1"  # what Zappa alone would have trusted
    assert client_address(request) == "203.0.113.9"


def test_without_the_setting_the_peer_address_is_used(settings):
    settings.ARENA_CLIENT_IP_HEADER = ""
    request = RequestFactory().post(
        "/accounts/login", REMOTE_ADDR="10.1.2.3", HTTP_X_ARENA_SOURCE_IP="9.9.9.9"
    )
    assert client_address(request) == "10.1.2.3"

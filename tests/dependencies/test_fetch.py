"""One GET of a vendor's summary: the addresses it names, and the redirects it follows."""

from __future__ import annotations

import urllib.request

import pytest

from generator.dependencies.fetch import _Redirect, _SameHost, shown


def test_messages_name_an_address_without_credentials_query_or_fragment() -> None:
    assert shown("https://bot:pa55@status.example.com:8443/api/v2/summary.json?key=k#x") == (
        "https://status.example.com:8443/api/v2/summary.json"
    )
    assert shown("http://[::1]:80/a") == "http://[::1]:80/a"


@pytest.mark.parametrize(
    ("start", "target", "followed"),
    [
        ("https://status.example.com/api", "https://status.example.com/v2/api", True),
        ("https://status.example.com/api", "https://STATUS.example.com/api", True),
        ("http://status.example.com/api", "https://status.example.com/api", True),
        ("https://status.example.com/api", "http://status.example.com/api", False),
        ("https://status.example.com/api", "https://evil.example/api", False),
        ("https://status.example.com/api", "ftp://status.example.com/api", False),
    ],
)
def test_a_redirect_is_followed_on_the_same_host_and_never_to_http(
    start: str, target: str, followed: bool
) -> None:
    handler = _SameHost(start)
    request = urllib.request.Request(start)
    if followed:
        assert handler.redirect_request(request, None, 302, "Found", {}, target) is not None
    else:
        with pytest.raises(_Redirect):
            handler.redirect_request(request, None, 302, "Found", {}, target)

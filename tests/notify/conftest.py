"""The fixtures of the tests of ``statusgen notify``: the site, and the peers it sends to
(an HTTP receiver for json://, an SMTP server for mailto://)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import Repo
from tests.notify.notifying import LATER, OLD, SIGN_IN, SLOW_API, UPGRADE
from tests.peers import Mailbox, Receiver, http_receiver, smtp_server


@pytest.fixture
def site(repo: Repo) -> Repo:
    repo.incident("sign-in", SIGN_IN)
    repo.incident("slow-api", SLOW_API)
    repo.incident("upgrade", UPGRADE)
    repo.incident("later", LATER)
    repo.incident("old", OLD)
    return repo


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with http_receiver() as peer:
        yield peer


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as peer:
        yield peer

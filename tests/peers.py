"""Real protocol peers on loopback: for the notification tests an HTTP receiver for
Apprise's ``json://`` and an SMTP server (aiosmtpd) for ``mailto://``; for publishing,
Debian's rclone serving a folder (WebDAV, SFTP)."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


@contextmanager
def serving(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[int]:
    """An HTTP server of ``handler`` on a free port of loopback, for as long as it is used."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Receiver:
    """What an HTTP endpoint received, by path, and how it answers."""

    port: int = 0
    received: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    #: Path -> HTTP status to answer instead of 200.
    failing: dict[str, int] = field(default_factory=dict)
    #: Called with the path and the number of requests so far, before answering.
    hook: Callable[[str, int], None] | None = None
    #: Called with the path and the body: an HTTP status to answer instead, or None.
    refuse: Callable[[str, dict[str, Any]], int | None] | None = None

    def bodies(self, path: str) -> list[dict[str, Any]]:
        return [body for where, body in self.received if where == path]

    def url(self, path: str) -> str:
        return f"json://127.0.0.1:{self.port}{path}"


@contextmanager
def http_receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            with lock:
                receiver.received.append((self.path, body))
                count = len(receiver.received)
            if receiver.hook is not None:
                receiver.hook(self.path, count)
            status = receiver.failing.get(self.path, 200)
            if receiver.refuse is not None:
                status = receiver.refuse(self.path, body) or status
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with serving(Handler) as port:
        receiver.port = port
        yield receiver


@dataclass
class Telegram:
    """A Telegram Bot API on loopback that is as strict as Telegram: a message over 4096
    characters, or Markdown whose ``_``, ``*`` or backtick are not balanced (what
    ``parse_mode: Markdown`` refuses with "can't parse entities"), is answered 400."""

    port: int = 0
    accepted: list[dict[str, Any]] = field(default_factory=list)
    refused: list[tuple[dict[str, Any], str]] = field(default_factory=list)

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    def url(self, chat: str = "-1001234567890") -> str:
        return f"tgram://123456789:AAH-a-bot-token-0123456789abcdefghij/{chat}/"

    def problem(self, message: dict[str, Any]) -> str | None:
        text = str(message.get("text", ""))
        if len(text) > 4096:
            return "Bad Request: message is too long"
        if str(message.get("parse_mode", "")).lower() == "markdown":
            plain = re.sub(r"\]\([^)]*\)", "]", text)
            plain = plain.replace("\\\\", "").replace("\\_", "").replace("\\*", "")
            plain = plain.replace("\\`", "").replace("\\[", "")
            for mark in ("_", "*", "`"):
                if plain.count(mark) % 2:
                    return "Bad Request: can't parse entities"
        return None


@contextmanager
def telegram_api() -> Iterator[Telegram]:
    telegram = Telegram()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            message = json.loads(self.rfile.read(length) or b"{}")
            problem = telegram.problem(message)
            if problem is None:
                telegram.accepted.append(message)
                answer = {"ok": True, "result": {"message_id": len(telegram.accepted)}}
            else:
                telegram.refused.append((message, problem))
                answer = {"ok": False, "error_code": 400, "description": problem}
            data = json.dumps(answer).encode()
            self.send_response(400 if problem else 200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    with serving(Handler) as port:
        telegram.port = port
        yield telegram


def free_port() -> int:
    """A port free on loopback now (aiosmtpd's Controller cannot be given port 0)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Mailbox:
    port: int
    messages: list[EmailMessage] = field(default_factory=list)

    def url(self, sender: str = "status@acme.example", to: str = "ops@acme.example") -> str:
        return f"mailto://127.0.0.1:{self.port}?from={sender}&to={to}"


@contextmanager
def smtp_server() -> Iterator[Mailbox]:
    mailbox = Mailbox(free_port())

    class Handler:
        async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
            content = envelope.content
            data = content if isinstance(content, bytes) else str(content).encode()
            message = message_from_bytes(data, policy=policy.default)
            assert isinstance(message, EmailMessage)
            mailbox.messages.append(message)
            return "250 Message accepted for delivery"

    controller = Controller(Handler(), hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    try:
        yield mailbox
    finally:
        controller.stop()


def rclone_config(tmp_path: Path) -> Path:
    config = tmp_path / "server-rclone.conf"
    config.write_text("", encoding="utf-8")
    return config


def wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError(f"the rclone server exited: {process.stderr.read()!r}")  # type: ignore[union-attr]
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing answers on 127.0.0.1:{port}")


@contextmanager
def rclone_serving(tmp_path: Path, kind: str, folder: Path, *options: str) -> Iterator[int]:
    """``rclone serve KIND folder`` on a free port of loopback, for as long as it is used."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    process = subprocess.Popen(
        ["rclone", "serve", kind, str(folder), "--addr", f"127.0.0.1:{port}",
         "--config", str(rclone_config(tmp_path)), "--cache-dir", str(tmp_path / "server-cache"),
         *options],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        wait_for_port(port, process)
        yield port
    finally:
        process.terminate()
        process.wait(10)
        assert process.stderr is not None
        process.stderr.close()


def obscured(password: str) -> str:
    """The form of a password that rclone's connection strings take."""
    return subprocess.run(
        ["rclone", "obscure", password], capture_output=True, text=True, check=True
    ).stdout.strip()

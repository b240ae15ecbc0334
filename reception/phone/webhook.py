"""PBX webhooks: an HTTP endpoint taking the Zammad generic-CTI fields.

A PBX already set up for Zammad posts, for each call, ``event=newCall|answer|hangup`` with
``from``, ``to``, ``direction`` (``in``/``out``) and ``callId`` — form-encoded or JSON — to a URL
ending in a token: ``http://<接口>/api/v1/cti/<令牌>`` (any path whose last part is the token).
Only incoming calls are rung. A request without the right token is refused (403) and reported
to the desk, which audits it (never the token itself). Bodies over 64 KB are refused; when the
desk's queue is full the PBX gets 503 and may retry. Runs in its own threads
(``ThreadingHTTPServer``), never on the window's."""

from __future__ import annotations

import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs
from urllib.parse import unquote
from urllib.parse import urlsplit

from reception.phone.events import ANSWER
from reception.phone.events import HANGUP
from reception.phone.events import REFUSED
from reception.phone.events import RING
from reception.phone.events import EventHub
from reception.phone.events import PhoneEvent
from reception.store.config import DEFAULT_PHONE_ADDRESS
from reception.store.config import parse_address

DEFAULT_ADDRESS = DEFAULT_PHONE_ADDRESS
MAX_BODY = 64 * 1024
_KINDS = {"newcall": RING, "answer": ANSWER, "hangup": HANGUP}


def event_from_fields(fields: dict[str, str], source: str = "webhook") -> PhoneEvent | None:
    """The event a generic-CTI request describes (None: an outgoing call or an unknown event)."""
    kind = _KINDS.get(fields.get("event", "").strip().lower())
    if kind is None or fields.get("direction", "in").strip().lower() not in ("in", "inbound", ""):
        return None
    call_id = fields.get("callId") or fields.get("call_id") or ""
    if not call_id.strip():
        return None
    return PhoneEvent(
        kind, source, call_id.strip(), number=fields.get("from", ""), line=fields.get("to", "")[:40]
    )


class _Handler(BaseHTTPRequestHandler):
    server: PhoneWebhookServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        return

    def _reply(self, status: int, text: str = "") -> None:
        body = json.dumps({"message": text} if text else {}, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self._token_ok():
            self._reply(200, "ok")
        else:
            self._refuse()

    def _token_ok(self) -> bool:
        last = unquote(urlsplit(self.path).path.rstrip("/").rpartition("/")[2])
        token = self.server.token
        return bool(token) and hmac.compare_digest(last.encode("utf-8"), token.encode("utf-8"))

    def _refuse(self) -> None:
        self.server.hub.put(
            PhoneEvent(
                REFUSED,
                "webhook",
                "",
                detail={"reason": "令牌错误或缺少令牌", "peer": self.client_address[0]},
            )
        )
        self._reply(403, "令牌错误")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self.close_connection = True
            self._reply(413, "请求太大")
            return
        raw = self.rfile.read(length) if length > 0 else b""
        if not self._token_ok():
            self._refuse()
            return
        try:
            if "json" in (self.headers.get("Content-Type") or "").lower():
                data = json.loads(raw.decode("utf-8") or "{}")
                fields = {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
            else:
                fields = {k: v[0] for k, v in parse_qs(raw.decode("utf-8"), keep_blank_values=True).items()}
        except (ValueError, UnicodeDecodeError):
            self._reply(400, "无法解析的请求")
            return
        event = event_from_fields(fields)
        if event is not None and not self.server.hub.put(event):
            self._reply(503, "前台忙，请稍后重试")
            return
        self._reply(200)


class PhoneWebhookServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: str, token: str, hub: EventHub) -> None:
        self.token = token
        self.hub = hub
        super().__init__(parse_address(address), _Handler)
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self.serve_forever, name="phone-webhook", daemon=True)
        self._thread.start()
        self.hub.set_status("webhook", True, "等待 PBX 推送")

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.hub.set_status("webhook", False, "未连接")

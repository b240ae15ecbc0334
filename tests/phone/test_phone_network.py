"""The network adapters against real sockets on 127.0.0.1: the webhook endpoint (real HTTP
POSTs, form and JSON, wrong token refused and audited), ``reception phone simulate`` as a real
subprocess, and the AMI client against a fake Asterisk manager (login, events, a disconnect in
the middle of an event, reconnect, no ring recorded twice). Every wait is bounded."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlencode

import pytest

from reception.phone.ami import AmiClient
from reception.phone.events import EventHub
from reception.phone.webhook import PhoneWebhookServer
from reception.services import phone_line
from reception.store.models import AuditLog
from reception.store.models import Callback
from reception.store.models import Ring

TOKEN = "t0ken-abc"
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def webhook():
    hub = EventHub()
    server = PhoneWebhookServer(f"127.0.0.1:{_free_port()}", TOKEN, hub)
    server.start()
    yield server, hub
    server.stop()


def _post(server, path, body: bytes, content_type: str) -> int:
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=5)
    try:
        conn.request("POST", path, body, {"Content-Type": content_type})
        return conn.getresponse().status
    finally:
        conn.close()


def _record_all(hub, session) -> list:
    done = []
    while batch := hub.drain(50):
        done += [phone_line.record(e, session) for e in batch]
    return done


def test_webhook_form_and_json_ring_answer_hangup(webhook, receptionist, clock):
    server, hub = webhook
    form = {"event": "newCall", "from": "+8613800138000", "to": "8001", "direction": "in", "callId": "z1"}
    assert (
        _post(server, f"/api/v1/cti/{TOKEN}", urlencode(form).encode(), "application/x-www-form-urlencoded")
        == 200
    )
    up = _record_all(hub, receptionist)[0]
    assert up.popped and up.ring.number == "13800138000" and up.ring.line == "8001"
    clock.advance(seconds=6)
    answer = json.dumps({"event": "answer", "callId": "z1", "direction": "in"}).encode()
    assert _post(server, f"/api/v1/cti/{TOKEN}", answer, "application/json") == 200
    hangup = json.dumps({"event": "hangup", "callId": "z1", "direction": "in", "cause": "normalClearing"})
    assert _post(server, f"/api/v1/cti/{TOKEN}", hangup.encode(), "application/json") == 200
    _record_all(hub, receptionist)
    ring = Ring.get()
    assert (ring.answered_at - ring.rang_at).total_seconds() == 6 and ring.ended_at is not None
    # an outgoing call is accepted and ignored
    out = {"event": "newCall", "from": "8001", "to": "13800138000", "direction": "out", "callId": "z2"}
    assert _post(server, f"/cti/{TOKEN}", urlencode(out).encode(), "application/x-www-form-urlencoded") == 200
    assert _record_all(hub, receptionist) == [] and Ring.select().count() == 1


def test_webhook_refuses_missing_or_wrong_token_and_audits(webhook, receptionist):
    server, hub = webhook
    body = urlencode({"event": "newCall", "from": "13800138000", "callId": "x"}).encode()
    assert _post(server, "/api/v1/cti/", body, "application/x-www-form-urlencoded") == 403
    assert _post(server, "/api/v1/cti/wrong", body, "application/x-www-form-urlencoded") == 403
    assert _post(server, f"/api/v1/cti/{TOKEN}", b"{not json", "application/json") == 400
    _record_all(hub, receptionist)
    assert Ring.select().count() == 0
    refused = list(AuditLog.select().where(AuditLog.action == "phone.refused"))
    assert len(refused) == 2 and all(TOKEN not in e.detail and "wrong" not in e.detail for e in refused)


def test_webhook_flood_is_bounded(receptionist):
    hub = EventHub(capacity=100)
    server = PhoneWebhookServer(f"127.0.0.1:{_free_port()}", TOKEN, hub)
    server.start()
    try:
        statuses = []
        host, port = server.server_address[:2]
        conn = http.client.HTTPConnection(host, port, timeout=5)
        for i in range(300):
            body = json.dumps({"event": "newCall", "from": "13800138000", "callId": f"f{i % 150}"})
            conn.request("POST", f"/x/{TOKEN}", body.encode(), {"Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            statuses.append(response.status)
        conn.close()
    finally:
        server.stop()
    assert statuses.count(200) == 100 and statuses.count(503) == 200
    _record_all(hub, receptionist)
    assert Ring.select().count() == 100


def test_simulate_command_rings_the_running_desk(webhook, receptionist, tmp_path):
    server, hub = webhook
    host, port = server.server_address[:2]
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "reception.ini").write_text(
        f"[电话]\n方式 = webhook\n接口 = {host}:{port}\n令牌 = {TOKEN}\n", encoding="utf-8"
    )
    cmd = [
        sys.executable,
        "-m",
        "reception.cli",
        "phone",
        "simulate",
        "13800138000",
        "--data-dir",
        str(folder),
    ]
    done = subprocess.run(
        [*cmd, "--answer-after", "0.2", "--hangup-after", "0.4"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        cwd=ROOT,
        env={**os.environ},
    )
    assert done.returncode == 0, done.stderr
    assert "已振铃" in done.stdout and "已挂断" in done.stdout
    _record_all(hub, receptionist)
    ring = Ring.get()
    assert ring.source == "webhook" and ring.answered_at is not None and ring.ended_at is not None
    # no answer: a missed call, a 待回电 by itself
    subprocess.run([*cmd, "--hangup-after", "0.1"], check=True, capture_output=True, timeout=60, cwd=ROOT)
    _record_all(hub, receptionist)
    assert Callback.select().count() == 1
    # the wrong token: one Chinese sentence, status 1
    (folder / "reception.ini").write_text(f"[电话]\n接口 = {host}:{port}\n令牌 = nope\n", encoding="utf-8")
    bad = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", timeout=60, cwd=ROOT)
    assert bad.returncode == 1 and "令牌不对" in bad.stderr and "Traceback" not in bad.stderr


def test_simulate_without_a_desk_listening(tmp_path):
    folder = tmp_path / "desk"
    folder.mkdir()
    port = _free_port()
    (folder / "reception.ini").write_text(f"[电话]\n接口 = 127.0.0.1:{port}\n令牌 = k\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "reception.cli", "phone", "simulate", "P", "--data-dir", str(folder)]
    done = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", timeout=60, cwd=ROOT)
    assert done.returncode == 1 and "连接不到前台程序" in done.stderr


# ---- AMI ----------------------------------------------------------------------------------------


class FakeAmi:
    """Speaks AMI framing: banner, login response, then the events a test scripts. Each
    connection gets the next script; a script may end in the middle of a message."""

    def __init__(self, scripts: list[list[bytes]], secret: str = "pw") -> None:
        self.scripts = scripts
        self.secret = secret
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(10)
        self.port = self.sock.getsockname()[1]
        self.logins: list[str] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        for script in self.scripts:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                conn.settimeout(10)
                conn.sendall(b"Asterisk Call Manager/7.0.3\r\n")
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                self.logins.append(data.decode())
                ok = f"Secret: {self.secret}" in data.decode()
                reply = "Success" if ok else "Error"
                conn.sendall(f"Response: {reply}\r\nMessage: Authentication accepted\r\n\r\n".encode())
                for part in script:
                    conn.sendall(part)
        self.done.set()

    def close(self) -> None:
        self.sock.close()


def _msg(**fields: str) -> bytes:
    return ("".join(f"{k}: {v}\r\n" for k, v in fields.items()) + "\r\n").encode()


DIAL = _msg(
    Event="DialBegin", CallerIDNum="13800138000", DestCallerIDNum="8001", Linkedid="1700.1", Uniqueid="1700.1"
)


def test_ami_ring_answer_hangup_with_a_disconnect_mid_event(receptionist, clock):
    first = [b"Event: FullyBooted\r\n\r\n", DIAL, b"Event: DialEnd\r\nDialSta"]  # cut mid-event
    second = [
        DIAL,  # the PBX repeats the ring after the reconnect: recorded once
        _msg(Event="DialEnd", DialStatus="ANSWER", Linkedid="1700.1"),
        _msg(Event="Hangup", Linkedid="1700.1", Cause="16"),
    ]
    server = FakeAmi([first, second])
    hub = EventHub()
    client = AmiClient(
        hub, "127.0.0.1", server.port, "desk", "pw", extension="8001", backoff_max=0.2, timeout=5
    )
    client.start()
    try:
        assert server.done.wait(20)
        seen = []
        for _ in range(200):
            if not hub.wait(0.1) and len(seen) >= 4:
                break
            seen += hub.drain()
        assert [e.kind for e in seen] == ["ring", "ring", "answer", "hangup"]
        assert client.connects == 2
        assert all("Action: Login" in s and "Username: desk" in s for s in server.logins)
    finally:
        client.stop()
        server.close()
    for event in seen:
        phone_line.record(event, receptionist)
    ring = Ring.get()
    assert Ring.select().count() == 1 and ring.number == "13800138000" and ring.source == "ami"
    assert ring.answered_at is not None and ring.ended_at is not None
    assert hub.status("ami")[0] is False and hub.status("ami")[1] == "未连接"


def test_ami_wrong_secret_says_so():
    server = FakeAmi([[]], secret="right")
    hub = EventHub()
    client = AmiClient(hub, "127.0.0.1", server.port, "desk", "wrong", backoff_max=5, timeout=5)
    client.start()
    try:
        assert server.done.wait(20)
        for _ in range(100):
            if "用户名或密码" in hub.status("ami")[1]:
                break
            threading.Event().wait(0.05)
        assert hub.status("ami") == (False, "未连接：AMI 用户名或密码不对")
    finally:
        client.stop()
        server.close()

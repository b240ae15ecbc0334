"""``reception phone simulate``: the same events a PBX would post, sent to the running desk's
webhook endpoint (for training and for tests)."""

from __future__ import annotations

import http.client
import json
import time
import uuid
from collections.abc import Callable
from urllib.parse import quote

from reception.errors import ReceptionError
from reception.phone.webhook import DEFAULT_ADDRESS
from reception.phone.webhook import parse_address


def post(address: str, token: str, fields: dict[str, str], timeout: float = 5.0) -> int:
    """POST one generic-CTI event as JSON; the HTTP status."""
    host, port = parse_address(address)
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        body = json.dumps(fields, ensure_ascii=False).encode("utf-8")
        conn.request(
            "POST", f"/api/v1/cti/{quote(token, safe='')}", body, {"Content-Type": "application/json"}
        )
        return conn.getresponse().status
    finally:
        conn.close()


def simulate(
    address: str,
    token: str,
    number: str,
    answer_after: float | None = None,
    hangup_after: float | None = None,
    *,
    line: str = "模拟",
    sleep: Callable[[float], None] = time.sleep,
    say: Callable[[str], None] = print,
) -> str:
    """Ring (then answer and hang up, if asked) on the desk listening at ``address``. Returns the
    call id. ReceptionError (one Chinese sentence) when the desk cannot be reached or refuses."""
    if not token:
        raise ReceptionError(
            "本机没有设置电话令牌：请在 设置 → 本机 → 电话 中选择接入方式并保存（会生成令牌）。"
        )
    try:
        parse_address(address or DEFAULT_ADDRESS)
    except ValueError as exc:
        raise ReceptionError(str(exc)) from None
    call_id = f"sim-{uuid.uuid4().hex}"
    base = {"from": number, "to": line, "direction": "in", "callId": call_id}
    steps: list[tuple[float, str]] = [(0.0, "newCall")]
    if answer_after is not None:
        steps.append((answer_after, "answer"))
    if hangup_after is not None:
        steps.append((hangup_after, "hangup"))
    waited = 0.0
    for at, event in sorted(steps, key=lambda s: s[0]):
        if at > waited:
            sleep(at - waited)
            waited = at
        try:
            status = post(address or DEFAULT_ADDRESS, token, {**base, "event": event})
        except OSError:
            raise ReceptionError(
                f"连接不到前台程序的电话接口 {address or DEFAULT_ADDRESS}："
                "请先打开前台程序，并在 设置 → 本机 → 电话 中启用。"
            ) from None
        if status == 403:
            raise ReceptionError(
                "前台程序拒绝了请求：令牌不对（请检查数据文件夹中 reception.ini 的 [电话] 令牌）。"
            )
        if status != 200:
            raise ReceptionError(f"前台程序未能接收来电事件（HTTP {status}）。")
        say({"newCall": "已振铃", "answer": "已接听", "hangup": "已挂断"}[event])
    return call_id

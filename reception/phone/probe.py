"""The 测试 button of 设置 → 本机 → 电话: one bounded check (3 s) of the chosen connection."""

from __future__ import annotations

import http.client
import socket
from urllib.parse import quote

from reception.phone.webhook import DEFAULT_ADDRESS
from reception.phone.webhook import parse_address


def check(values: dict[str, str], timeout: float = 3.0) -> tuple[bool, str]:
    kind = values.get("phone_adapter", "")
    if kind == "ami":
        return _ami(values, timeout)
    if kind == "serial":
        port = values.get("phone_serial_port", "").strip()
        if not port:
            return False, "请填写来电显示盒所接的串口，如 COM3。"
        return True, f"保存后程序将打开串口 {port}；来电时状态栏显示来电号码。"
    if kind == "webhook":
        return _webhook(values, timeout)
    return False, "请先选择接入方式。"


def _webhook(values: dict[str, str], timeout: float) -> tuple[bool, str]:
    address = values.get("phone_address") or DEFAULT_ADDRESS
    try:
        host, port = parse_address(address)
    except ValueError as exc:
        return False, str(exc)
    url = f"http://{address}/api/v1/cti/{{令牌}}"
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", f"/api/v1/cti/{quote(values.get('phone_token', ''), safe='')}")
        status = conn.getresponse().status
    except OSError:
        return False, f"接口 {address} 尚未开启：保存设置后程序开始接收，PBX 的推送地址填 {url}。"
    finally:
        conn.close()
    if status == 200:
        return True, f"接口正常。PBX 的推送地址填 {url}（令牌见上）。"
    return False, "接口在运行，但令牌与保存的不同：请先保存设置。"


def _ami(values: dict[str, str], timeout: float) -> tuple[bool, str]:
    host, _, port = values.get("ami_address", "").strip().rpartition(":")
    if not host:
        host, port = values.get("ami_address", "").strip(), "5038"
    if not host or not port.isdigit():
        return False, "AMI 地址应写成 地址:端口，如 192.168.1.5:5038。"
    try:
        with socket.create_connection((host, int(port)), timeout=timeout) as sock:
            reader = sock.makefile("rb")
            reader.readline()
            user, secret = values.get("ami_user", ""), values.get("ami_secret", "")
            login = f"Action: Login\r\nUsername: {user}\r\nSecret: {secret}\r\n\r\n"
            sock.sendall(login.encode("utf-8"))
            reply = b""
            while not reply.endswith(b"\r\n\r\n") and len(reply) < 4096:
                line = reader.readline(1024)
                if not line:
                    break
                reply += line
    except OSError:
        return False, f"连接不到 {host}:{port}：请检查地址、端口和 PBX 的防火墙。"
    if b"Response: Success" in reply:
        return True, "AMI 登录成功。"
    return False, "连接到了 PBX，但 AMI 用户名或密码不对。"

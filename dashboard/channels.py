"""The senders of reminders: 企业微信 / 钉钉 group robot webhooks and e-mail, with the standard library.

Standard library, not apprise: a robot webhook is one JSON POST to the URL the group gives
(``{"msgtype": "text", "text": {"content": …}}`` for both WeCom and DingTalk), and apprise's WeCom
plugin fixes the host, so it could not be pointed at a test server. Settings come from env or the
``[channels]`` table of ``.streamlit/secrets.toml``, never from the repository. A channel that fails
(timeout, HTTP error, refused connection) gives a failed ``Delivery``; it never raises, so one bad
channel loses nothing else.
"""

from __future__ import annotations

import json
import os
import smtplib
import tomllib
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

TIMEOUT_SECONDS = 10
SECRETS_FILE = Path(".streamlit/secrets.toml")
# setting name -> env variable
ENV = {"wecom_webhook": "DUBAN_WECOM_WEBHOOK", "dingtalk_webhook": "DUBAN_DINGTALK_WEBHOOK",
       "smtp_host": "DUBAN_SMTP_HOST", "smtp_port": "DUBAN_SMTP_PORT", "smtp_user": "DUBAN_SMTP_USER",
       "smtp_password": "DUBAN_SMTP_PASSWORD", "smtp_from": "DUBAN_SMTP_FROM", "smtp_tls": "DUBAN_SMTP_TLS",
       "email_to": "DUBAN_EMAIL_TO"}


@dataclass(frozen=True)
class Channels:
    """Where reminders go besides the log. ``email_to`` maps a unit to its addresses."""

    wecom_webhook: str = ""
    dingtalk_webhook: str = ""
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = ""
    smtp_tls: str = "none"   # none | starttls | ssl
    email_to: Mapping[str, list[str]] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return bool(self.wecom_webhook or self.dingtalk_webhook or (self.smtp_host and self.email_to))


def load_channels(secrets: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> Channels:
    """Env wins over the secrets file's ``[channels]`` table. ``DUBAN_EMAIL_TO`` is JSON {unit: [addr]}."""
    env = os.environ if env is None else env
    if secrets is None:
        secrets = tomllib.loads(SECRETS_FILE.read_text(encoding="utf-8")) if SECRETS_FILE.is_file() else {}
    table = dict(secrets.get("channels") or {})
    for name, variable in ENV.items():
        if env.get(variable):
            table[name] = json.loads(env[variable]) if name == "email_to" else env[variable]
    email_to = {unit: [a] if isinstance(a, str) else list(a) for unit, a in dict(table.get("email_to") or {}).items()}
    return Channels(**{**{k: str(v) for k, v in table.items() if k in ENV and k not in ("email_to", "smtp_port")},
                       "smtp_port": int(table.get("smtp_port") or 25), "email_to": email_to})


def _post_json(url: str, body: dict[str, Any]) -> tuple[bool, str]:
    request = urllib.request.Request(url, data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                                     headers={"Content-Type": "application/json; charset=utf-8"}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            text = response.read(2_000).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return False, f"HTTP {exc.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        return False, f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"
    try:   # both robots answer 200 with {"errcode": 0} on success and a non-zero errcode otherwise
        answer = json.loads(text)
    except json.JSONDecodeError:
        return True, "HTTP 200"
    code = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    return (code == 0), ("ok" if code == 0 else f"errcode {code}: {answer.get('errmsg', '')}")


def _send_mail(channels: Channels, to: list[str], subject: str, text: str) -> tuple[bool, str]:
    message = EmailMessage()
    message["From"] = channels.smtp_from or channels.smtp_user or "duban@localhost"
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message.set_content(text)
    try:
        kind = smtplib.SMTP_SSL if channels.smtp_tls == "ssl" else smtplib.SMTP
        with kind(channels.smtp_host, channels.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
            if channels.smtp_tls == "starttls":
                smtp.starttls()
            if channels.smtp_user:
                smtp.login(channels.smtp_user, channels.smtp_password)
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        return False, f"{type(exc).__name__}: {exc}"
    return True, f"to {len(to)} address(es)"


def send_reminder(channels: Channels, unit: str, subject: str, text: str) -> list[dict[str, Any]]:
    """Send through every configured channel; one delivery record per channel (label, ok, detail)."""
    out = []
    for label, url in (("企业微信", channels.wecom_webhook), ("钉钉", channels.dingtalk_webhook)):
        if url:
            ok, detail = _post_json(url, {"msgtype": "text", "text": {"content": f"{subject}\n{text}"}})
            out.append({"channel": label, "ok": ok, "detail": detail})
    to = channels.email_to.get(unit) or []
    if channels.smtp_host and to:
        ok, detail = _send_mail(channels, to, subject, text)
        out.append({"channel": "邮件", "ok": ok, "detail": detail})
    return out

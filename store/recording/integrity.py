"""What ``verify`` holds the log against besides its own chain: the chain alone shows an edit, but not
a log cut short, dropped and re-created, or rewritten consistently by someone who can write the
database. Three things outside (or unforgeable inside) the database close those gaps:

* the head watermark: the last head this installation verified, kept in a file outside the
  database (``$DUBAN_STATE_DIR/heads.json``, default ``~/.config/duban/``, beside the accounts). A
  later log that ends before it, or holds another hash at its position, is refused.
* anchors: a position and hash printed elsewhere (a bulletin's foot), given as ``--anchor P:H``.
* seals: where a signing key is configured (env ``DUBAN_SIGNING_KEY`` or ``.streamlit/secrets.toml``
  ``[signing] key``), every event gets HMAC-SHA256(key, hash) in the side table ``event_seals``;
  without the key nobody can append or rewrite so that ``verify`` passes.

None of this stops someone holding both the database and the key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("store")

STATE_DIR_ENV = "DUBAN_STATE_DIR"
DEFAULT_STATE_DIR = Path("~/.config/duban")
SIGNING_KEY_ENV = "DUBAN_SIGNING_KEY"
SECRETS_FILE = Path(".streamlit/secrets.toml")


@dataclass(frozen=True)
class Anchor:
    """A position and the hash the log must hold there."""

    position: int
    hash: str
    source: str   # what vouches for it, for the message: an anchor given, or this installation's watermark

    @classmethod
    def parse(cls, text: str) -> Anchor:
        position, _, digest = text.partition(":")
        if not position.isdigit() or int(position) < 1 or len(digest) != 64 or \
                any(c not in "0123456789abcdef" for c in digest.lower()):
            raise ValueError(f"锚点须为 位置:哈希（位置 ≥ 1，哈希为 64 位十六进制数），现为 {text[:80]!r}")
        return cls(int(position), digest.lower(), "the anchor given")


def signing_key() -> bytes | None:
    """The configured signing key, or None: env DUBAN_SIGNING_KEY, else secrets.toml [signing] key."""
    key = os.environ.get(SIGNING_KEY_ENV)
    if not key and SECRETS_FILE.is_file():
        try:
            key = tomllib.loads(SECRETS_FILE.read_text(encoding="utf-8")).get("signing", {}).get("key")
        except (OSError, tomllib.TOMLDecodeError, AttributeError) as exc:
            raise ValueError(f"无法读取 {SECRETS_FILE} 的 [signing] key（{exc}）") from None
    if key is not None and not isinstance(key, str):
        raise ValueError(f"{SECRETS_FILE} 的 [signing] key 须为文本")
    return key.encode("utf-8") if key else None


def seal(key: bytes, event_hash: str) -> str:
    return hmac.new(key, event_hash.encode("ascii"), hashlib.sha256).hexdigest()


def seal_holds(key: bytes, event_hash: str, mac: str | None) -> bool:
    return mac is not None and hmac.compare_digest(seal(key, event_hash), mac)


class Watermarks:
    """The last verified head per database, in a small JSON file outside every database."""

    def __init__(self, folder: str | os.PathLike[str] | None = None) -> None:
        chosen = folder or os.environ.get(STATE_DIR_ENV) or DEFAULT_STATE_DIR
        self.path = Path(chosen).expanduser() / "heads.json"

    def _all(self) -> dict[str, dict[str, object]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            raise ValueError(f"无法读取校验记录文件 {self.path}（{exc}）") from None
        return data if isinstance(data, dict) else {}

    def seen(self, database: str) -> Anchor | None:
        entry = self._all().get(database)
        if not isinstance(entry, dict) or not isinstance(entry.get("position"), int):
            return None
        return Anchor(entry["position"], str(entry.get("hash")), f"the head this installation saw ({self.path})")

    def advance(self, database: str, position: int, digest: str) -> None:
        """Remember a verified head (never a lower one); a file that cannot be written is logged, not fatal."""
        try:
            data = self._all()
            current = data.get(database)
            if isinstance(current, dict) and isinstance(current.get("position"), int) and \
                    current["position"] > position:
                return
            data[database] = {"position": position, "hash": digest}
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
            temporary.replace(self.path)
        except (OSError, ValueError) as exc:
            log.warning("head watermark not kept: %s", exc)

"""The key of a volunteer's offline visit drafts (issue [15], docs/offline-visits-design.md).

The phone keeps a visit made without a connection in IndexedDB, encrypted with AES-GCM. The key
is derived here from the session and never stored, on the server or on the phone: the same
session gives the same key on every request (so a later page can read and send the drafts), a
new login gives another one, and once the session ends the drafts on the phone are unreadable.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.utils.crypto import salted_hmac

KEY_SALT = "volunteers.drafts.key"
KEY_ID_SALT = "volunteers.drafts.key-id"


@dataclass(frozen=True)
class DraftKey:
    key: bytes  # 32 bytes: an AES-256 key
    key_id: str  # names the key (to drop drafts of another session); reveals nothing of it

    def as_json(self) -> dict:
        return {"key": base64.b64encode(self.key).decode("ascii"), "key_id": self.key_id}


def draft_key(*, session_key: str, user_id: int) -> DraftKey:
    """HMAC-SHA256 with ``SECRET_KEY`` over the session key and the user id: a key only the
    server can make, and only while this session exists."""
    material = f"{session_key}:{user_id}"
    return DraftKey(
        key=salted_hmac(KEY_SALT, material, algorithm="sha256").digest(),
        key_id=salted_hmac(KEY_ID_SALT, material, algorithm="sha256").hexdigest()[:16],
    )

"""API clients: the systems that call the intake API (``cases/api``), their tokens and how a
request is authenticated by one.

A token is 32 random bytes (``secrets.token_urlsafe``, 43 characters). Only its SHA-256 is
stored, with its first characters to recognise it by: the administrator sees the token once,
when the client is made or given a new token, and never again. A request sends it as
``Authorization: Token <token>`` (or ``Bearer <token>``); the client is looked up by the hash
of what was sent and the hashes compared in constant time. An inactive client, or a token
nobody holds, is refused with 401. The client acts as its own system user: an account without
a role and without a usable password (it cannot log in anywhere), named after the client, so
the audit trail says which system registered what.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions

from base.audit import acting_as

from .models import ApiClient, User

PREFIX_LENGTH = 8
SCHEMES = (b"token", b"bearer")
MAX_TOKEN_LENGTH = 200  # a token is 43 characters; anything much longer is not one of ours
LAST_USED_EVERY = datetime.timedelta(minutes=5)  # "last used" is written at most this often


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def _set_token(client: ApiClient) -> str:
    token = _new_token()
    client.token_hash = hash_token(token)
    client.token_prefix = token[:PREFIX_LENGTH]
    return token


@transaction.atomic
def api_client_create(*, actor: User, client: ApiClient) -> str:
    """Save a new ``client`` (name, municipality, active filled in) with its system user and a
    token; return the token, which is shown once and not kept. ``actor``: the administrator."""
    with acting_as(actor):
        user = User(
            username=f"api-{get_random_string(12).lower()}",
            first_name=client.name[:150],
            last_name="(API)",
            is_active=True,  # a request acts as this user; without a password it can never log in
        )
        user.set_unusable_password()
        user.save()
        client.user = user
        token = _set_token(client)
        client.full_clean()
        client.save()
        return token


@transaction.atomic
def api_client_new_token(*, actor: User, client: ApiClient) -> str:
    """Replace the client's token (the old one stops working at once); return the new one."""
    with acting_as(actor):
        client = ApiClient.objects.select_for_update().get(pk=client.pk)
        token = _set_token(client)
        client.save(update_fields=["token_hash", "token_prefix"])
        return token


def _sent_token(request) -> str | None:
    """The token of an ``Authorization: Token|Bearer <token>`` header; None without one."""
    header = authentication.get_authorization_header(request).split()
    if not header or header[0].lower() not in SCHEMES:
        return None
    if len(header) != 2 or len(header[1]) > MAX_TOKEN_LENGTH:
        raise exceptions.AuthenticationFailed(_("Send the token as: Authorization: Token <token>."))
    try:
        return header[1].decode("ascii")
    except UnicodeDecodeError:
        raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None


class ApiClientAuthentication(authentication.BaseAuthentication):
    """DRF authentication by an API client's token: ``request.user`` is the client's system
    user and ``request.auth`` the :class:`ApiClient`."""

    keyword = "Token"

    def authenticate(self, request):
        token = _sent_token(request)
        if token is None:
            return None
        digest = hash_token(token)
        client = ApiClient.objects.select_related("user", "municipality").filter(token_hash=digest).first()
        # The lookup is by the hash of a random token; the comparison is constant-time anyway.
        if client is None or not hmac.compare_digest(client.token_hash, digest):
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        if not client.is_active or not client.user.is_active:
            raise exceptions.AuthenticationFailed(_("This API client is not active."))
        now = timezone.now()
        if client.last_used_at is None or now - client.last_used_at > LAST_USED_EVERY:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
            client.last_used_at = now
        return client.user, client

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'  # so a missing token is a 401, not a 403


class IsApiClient(permissions.BasePermission):
    """Only a request authenticated by an API client's token (never a session)."""

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ApiClient)

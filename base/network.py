"""The client's address, as the municipality's network delivers it.

Behind ``TRUSTED_PROXY_COUNT`` reverse proxies (docs/deploy.md), each proxy appends the address
it received the request from to ``X-Forwarded-For``; only those last entries are written by
machines we trust — anything to their left was sent by the client and may be forged. The
client's address is therefore the entry the outermost trusted proxy wrote. Without proxies
(``TRUSTED_PROXY_COUNT=0``, `make run`) the header is ignored and the connection's address is
used. The header is read by django-ipware, not parsed here.

One function serves every place that needs the address: the login lockout (django-axes,
``AXES_CLIENT_IP_CALLABLE``) and the audit and access log (:class:`AuditlogMiddleware`).
"""

from __future__ import annotations

from auditlog.context import auditlog_value
from auditlog.middleware import AuditlogMiddleware as _AuditlogMiddleware
from django.conf import settings
from ipware import get_client_ip


def client_address(request) -> str | None:
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return request.META.get("REMOTE_ADDR")
    # django-ipware counts the proxies *after* the client in the header: the outermost trusted
    # proxy wrote the client's entry, so N trusted proxies leave N-1 entries after it.
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=("HTTP_X_FORWARDED_FOR",),
        strict=False,
    )
    return address or request.META.get("REMOTE_ADDR")  # a request that did not come through them


class AuditlogMiddleware(_AuditlogMiddleware):
    """django-auditlog's middleware with the client address from :func:`client_address` (its
    own takes the left-most ``X-Forwarded-For`` entry, which any client can write), and the
    actor cleared after the request: auditlog's ``set_actor`` leaves its value in the thread's
    context, where code run later in that thread outside a request would take it for its own."""

    def __call__(self, request):
        token = auditlog_value.set(None)
        try:
            return super().__call__(request)
        finally:
            auditlog_value.reset(token)

    @staticmethod
    def _get_remote_addr(request) -> str | None:
        return None if settings.AUDITLOG_DISABLE_REMOTE_ADDR else client_address(request)

    @staticmethod
    def _get_remote_port(request) -> int | None:
        return None  # the proxy's port toward us, not the client's: not worth keeping

"""A fixed-window rate limit kept in the cache (Redis in production, so shared by every app process): for
public pages and endpoints that must not be probed (the dossier lookup, the public feedback form)."""

from django.conf import settings
from django.core.cache import cache


def client_address(request) -> str | None:
    """The client's address (None when the request has none, e.g. a sign-in made in code), for rate limits and
    sign-in throttling (django-axes' AXES_CLIENT_IP_CALLABLE): the connection's (REMOTE_ADDR), or — behind
    EISO_TRUSTED_PROXY_COUNT reverse proxies that each append the address they saw to X-Forwarded-For — the one the
    outermost trusted proxy saw. Entries left of it are the client's own claim and are never trusted."""
    hops = settings.EISO_TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if hops > 0 and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


def client_ip(request) -> str:
    """The client's address as a rate-limit key ("unknown" when there is none)."""
    return client_address(request) or "unknown"


def allow(key: str, *, limit: int, period: int = 60) -> bool:
    """Count one hit on `key`; False once more than `limit` hits fell in the current `period` seconds."""
    name = f"throttle:{key}"
    if cache.add(name, 1, timeout=period):
        return True
    try:
        return cache.incr(name) <= limit
    except ValueError:  # expired between add() and incr()
        cache.add(name, 1, timeout=period)
        return True

"""A fixed-window rate limit kept in the cache (Redis in production, so shared by every app process): for
public pages and endpoints that must not be probed (the dossier lookup, the public feedback form)."""

from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address (REMOTE_ADDR; a reverse proxy must set it, see docs/deployment.md)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


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

"""The Redis cache of production (``REDIS_URL``), with one Redis client per connection pool.

Django's ``RedisCache`` makes a new ``redis.Redis`` client for every cache call, and making one builds
its table of response callbacks (about 170 entries): a page that reads the session, the synthetic-data
flag and the name-search version paid that three times. Clients are thread-safe (each command takes a
connection from the pool), so each process keeps one per pool."""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _ReusedClients(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        django: Any = self  # Django's own helpers, which its type stubs leave out
        index = django._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = django._client(connection_pool=django._get_connection_pool(index))
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _ReusedClients

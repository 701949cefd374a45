"""The production cache backend keeps one Redis client per pool and works as Django's own."""

from __future__ import annotations

import socket
import uuid

import pytest

from guichet.core.cache import ReusedClientRedisCache

REDIS = ("127.0.0.1", 6379)


def _redis_up() -> bool:
    try:
        socket.create_connection(REDIS, timeout=0.5).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not _redis_up(), reason="needs the Redis server of this machine kind (127.0.0.1:6379)")


def test_one_client_reused_and_values_round_trip() -> None:
    cache = ReusedClientRedisCache("redis://127.0.0.1:6379/14", {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    client = cache._cache.get_client(write=True)
    assert cache._cache.get_client(write=True) is client
    assert cache._cache.get_client() is cache._cache.get_client()
    cache.set("clé", {"valeur": 42}, 30)
    assert cache.get("clé") == {"valeur": 42}
    assert cache.incr("compteur", 1) if cache.add("compteur", 1) else False
    assert cache.get("compteur") == 2
    cache.delete_many(["clé", "compteur"])
    assert cache.get("clé") is None

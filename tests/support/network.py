"""Outbound network refused: anything a test runs that tries to download a model, an encoding
or data fails loudly instead of passing by luck. Loopback (the fake servers) stays open."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from contextlib import contextmanager

_real_connect = socket.socket.connect


def _loopback_only(self, address, *args, **kwargs):
    host = address[0] if isinstance(address, tuple) else address
    if isinstance(host, str) and self.family in (socket.AF_INET, socket.AF_INET6):
        try:
            allowed = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = False
        if not allowed:
            raise OSError(f"network access blocked in tests: {address!r}")
    return _real_connect(self, address, *args, **kwargs)


@contextmanager
def loopback_only() -> Iterator[None]:
    socket.socket.connect = _loopback_only
    try:
        yield
    finally:
        socket.socket.connect = _real_connect

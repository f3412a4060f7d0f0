"""A keep-alive HTTP/1.1 client on http.client, as a screen or device holds its connection."""
import http.client
import json
import time
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Answer:
    """One response: status, headers we use, decoded JSON (or None) and the seconds it took."""

    status: int
    etag: str | None
    data: object
    seconds: float


class Client:
    """One persistent connection to the server; reconnects once when the server closed it."""

    def __init__(self, base: str, token: str | None = None, timeout: float = 30):
        parts = urlsplit(base)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.token = token
        self.conn = None

    def request(self, method: str, path: str, body: dict | None = None,
                etag: str | None = None) -> Answer:
        """Send one request; return the Answer (raises OSError when the server is gone)."""
        headers = {}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if etag:
            headers["If-None-Match"] = etag
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            start = time.perf_counter()
            try:
                self.conn.request(method, path, body=payload, headers=headers)
                response = self.conn.getresponse()
                raw = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # gunicorn closes a keep-alive connection idle for 5 s: open a new one.
                self.close()
                if attempt == 2:
                    raise
                continue
            seconds = time.perf_counter() - start
            data = None
            if raw and response.getheader("Content-Type", "").startswith("application/json"):
                data = json.loads(raw)
            return Answer(response.status, response.getheader("ETag"), data, seconds)
        raise AssertionError("unreachable")

    def close(self) -> None:
        """Close the connection."""
        if self.conn is not None:
            self.conn.close()
            self.conn = None

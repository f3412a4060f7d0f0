"""The kiosk rate limit holds under real concurrency: 100 requests at once, at most the limit issued."""
import threading

import pytest

from tests.reliability.conftest import kiosk_token, request, serving

pytestmark = pytest.mark.slow
LIMIT, REQUESTS = 30, 100


def test_rate_limit_is_atomic_per_kiosk(seeded_url):
    token = kiosk_token(seeded_url)
    statuses = []
    lock = threading.Lock()
    start = threading.Barrier(REQUESTS)
    with serving(seeded_url, workers=4, threads=8,
                 extra_env={"KIOSK_RATE_PER_MINUTE": str(LIMIT), "WRITE_SLOTS": "7"}) as server:
        def one():
            start.wait()
            status = request(server.base, "POST", "/api/v1/tickets", {"service": "vneid"},
                             {"Authorization": f"Bearer {token}"})[0]
            with lock:
                statuses.append(status)

        threads = [threading.Thread(target=one) for _ in range(REQUESTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    issued = statuses.count(201)
    print(f"\n[rate limit {seeded_url.split(':')[0]}] requests={REQUESTS} limit={LIMIT} "
          f"issued={issued} 429={statuses.count(429)} 503={statuses.count(503)}")
    assert issued <= LIMIT
    assert set(statuses) <= {201, 429, 503}

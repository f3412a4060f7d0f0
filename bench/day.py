"""The start of the day on a running product: each site's waiting queue, one number called, and
a phone token, issued through the API as kiosks and desks do."""
from concurrent.futures import ThreadPoolExecutor

from client import Client


def services_of(base: str, site: str) -> list[str]:
    """Return a site's active service codes, read from GET /api/v1/queue waiting[].service."""
    answer = Client(base).request("GET", f"/api/v1/queue?site={site}")
    if answer.status != 200:
        raise RuntimeError(f"GET /api/v1/queue?site={site} answered {answer.status}")
    return [row["service"] for row in answer.data["waiting"]]


def issue(kiosk: Client, service: str) -> dict:
    """Issue one ticket at a kiosk; return the answer's JSON (fail loudly on anything but 201)."""
    answer = kiosk.request("POST", "/api/v1/tickets", {"service": service})
    if answer.status != 201:
        raise RuntimeError(f"POST /api/v1/tickets answered {answer.status}: {answer.data}")
    return answer.data


def phone_token(ticket: dict) -> str:
    """Return the ticket's phone token: the last segment of its status_url."""
    return ticket["status_url"].rstrip("/").rsplit("/", 1)[1]


def open_site(base: str, site: dict, desk_ids: list[int], waiting: int) -> dict:
    """Issue `waiting` + 1 tickets over the services, call one at the first desk; return the
    site's targets (tokens, desk, the newest ticket's phone token, services)."""
    services = services_of(base, site["site"])
    kiosk = Client(base, site["kiosk"])
    tickets = [issue(kiosk, services[n % len(services)]) for n in range(waiting + 1)]
    staff = Client(base, site["staff"])
    called = staff.request("POST", f"/api/v1/desks/{desk_ids[0]}/call-next")
    if called.status != 200:
        raise RuntimeError(f"call-next answered {called.status}: {called.data}")
    kiosk.close()
    staff.close()
    return {**site, "desk": desk_ids[0], "desks": desk_ids, "services": services,
            "phone": phone_token(tickets[-1]), "phones": [phone_token(t) for t in tickets]}


def open_day(base: str, meta: dict, sites: list[dict], waiting: int) -> list[dict]:
    """Open the day at every given site (in parallel: a hundred sites take seconds)."""
    with ThreadPoolExecutor(max_workers=6) as pool:
        return list(pool.map(lambda s: open_site(base, s, meta["desks"][s["site"]], waiting),
                             sites))

"""Add what bench/load.py needs beyond `flask seed-demo`: a fourth desk, four officers and
three kiosks at DEMO, and the city's sites (desks, a kiosk, an officer's token). Prints JSON.

    DATABASE_URL=… .venv/bin/python bench/seed.py --demo-desks 4 --city 100

Run by bench/prepare.py after the CLI commands, through the product's own services (the
commands cover one site at a time; a hundred CLI starts would take minutes).
"""
import argparse
import json
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Benchmark accounts only: a cheap hash keeps a hundred of them from taking a minute.
CHEAP_HASH = "scrypt:1024:8:1"


def officer_token(site, username: str) -> str:
    """Create an officer of a site and return a new API token of theirs."""
    from kiosk.auth.services import create_api_token, create_user

    user = create_user(username, secrets.token_urlsafe(16), "officer", site.id, username)
    return create_api_token(user)


def seed(demo_desks: int, city: int) -> dict:
    """Add the DEMO desks, officers and kiosks, and `city` sites C001…; return their tokens."""
    from kiosk.admin.services import ensure_desks, ensure_site
    from kiosk.extensions import db
    from kiosk.queue.models import Site
    from kiosk.touch.services import register_kiosk

    demo = db.session.execute(db.select(Site).where(Site.code == "DEMO")).scalar_one()
    desks = ensure_desks(demo, demo_desks)
    out = {"demo_officers": [officer_token(demo, f"bench-officer-{d.number}") for d in desks],
           "demo_kiosks": [register_kiosk(demo.id, f"Kiosk {n}")[1] for n in range(1, 4)],
           "city": []}
    for n in range(1, city + 1):
        code = f"C{n:03d}"
        site = ensure_site(code, f"Trung tâm PVHCC phường {code} (bench)")
        ensure_desks(site, 3)
        _device, kiosk = register_kiosk(site.id, f"Kiosk {code}")
        out["city"].append({"site": code, "kiosk": kiosk,
                            "staff": officer_token(site, f"bench-{code.lower()}")})
    db.session.commit()
    return out


def main() -> None:
    """Parse the arguments, seed inside the app, print the tokens as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo-desks", type=int, default=4)
    parser.add_argument("--city", type=int, default=0, help="number of city sites to add")
    args = parser.parse_args()
    from kiosk import create_app

    app = create_app({"PASSWORD_HASH_METHOD": CHEAP_HASH})
    with app.app_context():
        print(json.dumps(seed(args.demo_desks, args.city)))


if __name__ == "__main__":
    main()

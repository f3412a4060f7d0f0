"""Helpers for the display tests: a demo site with calls made through the queue services."""
import io
import math
import wave
from array import array

import pytest

from kiosk.extensions import db


def make_wav(seconds=0.5, rate=22050, channels=1, width=2, freq=440.0, amplitude=8000) -> bytes:
    """Return a WAV file holding a sine tone (silence when amplitude is 0)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(channels)
        wav.setsampwidth(width)
        wav.setframerate(rate)
        if width == 2:
            samples = array("h", (int(amplitude * math.sin(2 * math.pi * freq * i / rate))
                                  for i in range(int(seconds * rate)) for _c in range(channels)))
            wav.writeframes(samples.tobytes())
        else:
            wav.writeframes(bytes(int(seconds * rate) * channels * width))
    return buffer.getvalue()


@pytest.fixture
def queue_ops(demo):
    """Issue, call, recall and transfer tickets at the DEMO site; each call commits."""
    from kiosk.queue import services
    from kiosk.queue.models import Desk, Service, Site

    class Ops:
        def site(self):
            return db.session.execute(db.select(Site).where(Site.code == "DEMO")).scalar_one()

        def desk(self, number):
            return db.session.execute(
                db.select(Desk).where(Desk.number == number)).scalar_one()

        def issue(self, code="vneid"):
            service = db.session.execute(
                db.select(Service).where(Service.code == code)).scalar_one()
            ticket = services.issue_ticket(self.site(), service)
            db.session.commit()
            return ticket

        def call(self, desk_number):
            ticket = services.call_next(self.desk(desk_number))
            db.session.commit()
            return ticket

        def recall(self, ticket):
            services.recall(ticket)
            db.session.commit()

        def transfer(self, ticket, code):
            service = db.session.execute(
                db.select(Service).where(Service.code == code)).scalar_one()
            services.transfer(ticket, service=service)
            db.session.commit()

    with demo.app_context():
        yield Ops()

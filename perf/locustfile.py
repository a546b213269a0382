"""The load test (scripts/loadtest): professionals, volunteer staff and coordinators of the scale
data working at once, each a distinct account that logs in through the real login form and
second step (TOTP from the published demo key), then works with a few seconds between clicks.

Run by scripts/loadtest against gunicorn on loopback; not imported by the app. FastHttpUser
(geventhttpclient) keeps the load generator's own CPU use low on a small machine.

Two ways to run it: a steady load (``--users``, the classic run), or a **sweep** when
``LOAD_STEPS`` is set ("10,20,40,…" users, each held for ``LOAD_STEP_SECONDS``): the users rise
step by step, and ``load_report --history`` finds the highest throughput at which p95 stays
under the target. In a sweep the accounts log in before the first step (the same login form and
second step; ``LOAD_LOGIN_FIRST=0`` leaves it to each user as it joins), so the steps measure
the pages and not the password hashing of the users joining them. ``FloorVisitor`` (the floor
page, benchmark settings only) runs the same sweep with the same think time (``LOAD_WAIT``,
"min,max" seconds).
"""

from __future__ import annotations

import datetime
import itertools
import os
import random
import re
import threading
import uuid

from django_otp.oath import totp
from gevent.pool import Pool
from locust import FastHttpUser, LoadTestShape, between, events, task
from locust.clients import HttpSession

from wijkteam import demo

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_lock = threading.Lock()
_numbers = {"p": itertools.count(1), "v": itertools.count(1), "c": itertools.count(1)}


def next_account(prefix: str, width: int) -> str:
    with _lock:
        return f"{prefix}{next(_numbers[prefix]):0{width}d}"


def _think_time() -> tuple[float, float]:
    low, _, high = os.environ.get("LOAD_WAIT", "1,4").partition(",")
    return float(low), float(high or low)


def log_in(client, username: str) -> None:
    """Through the real login form and second step (TOTP from the published demo key)."""
    page = client.get("/account/inloggen/", name="login")
    page = client.post(
        "/account/inloggen/",
        {"username": username, "password": demo.PASSWORD, "csrfmiddlewaretoken": csrf(page.text)},
        name="login",
    )
    code = f"{totp(bytes.fromhex(demo.totp_key(username))):06d}"
    done = client.post(
        "/account/verificatie/", {"token": code, "csrfmiddlewaretoken": csrf(page.text)}, name="second step"
    )
    if "/account/uitloggen/" not in done.text:  # the navigation of a logged-in page
        raise RuntimeError(f"{username} could not log in")


def csrf(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


# Sessions logged in before a sweep starts (``LOAD_LOGIN_FIRST``), by account prefix: a sweep
# measures the pages at each step, not the password hashing of the users who join it (one
# Argon2 verification costs as much CPU as dozens of pages).
_sessions: dict[str, list[tuple[str, list]]] = {}


@events.init.add_listener
def _log_in_first(environment, **_kwargs) -> None:
    """At start-up, before the sweep's clock starts (locust fires ``test_start`` again and again
    while a listener of it blocks the first step)."""
    if not sweep_steps() or os.environ.get("LOAD_LOGIN_FIRST", "1") != "1" or environment.host is None:
        return
    classes = [cls for cls in environment.user_classes if issubclass(cls, Staff)]
    total_weight = sum(cls.weight for cls in classes)
    most = max(sweep_steps())
    accounts = []
    for cls in classes:
        wanted = -(-most * cls.weight // total_weight) + 2  # locust rounds the split; a margin
        accounts += [(cls.prefix, f"{cls.prefix}{number:0{cls.width}d}") for number in range(1, wanted + 1)]
        _numbers[cls.prefix] = itertools.count(wanted + 1)  # a user beyond these logs in itself, as another

    def one(account: tuple[str, str]) -> None:
        prefix, username = account
        client = HttpSession(base_url=environment.host, request_event=events.request, user=None)
        try:
            log_in(client, username)
        except RuntimeError:  # fewer accounts in the scale data (S has two coordinators)
            return
        with _lock:
            _sessions.setdefault(prefix, []).append((username, list(client.cookies)))

    Pool(4).map(one, accounts)
    for sessions in _sessions.values():
        sessions.sort(key=lambda session: session[0], reverse=True)  # pop() gives the first account


class Staff(FastHttpUser):
    abstract = True
    wait_time = between(*_think_time())
    prefix = ""
    width = 3

    def on_start(self) -> None:
        with _lock:
            session = _sessions.get(self.prefix, []).pop() if _sessions.get(self.prefix) else None
        if session is None:
            self.username = next_account(self.prefix, self.width)
            log_in(self.client, self.username)
            return
        self.username, cookies = session
        for cookie in cookies:
            self.client.cookiejar.set_cookie(cookie)

    csrf = staticmethod(csrf)


class Professional(Staff):
    weight = 25
    prefix = "p"

    @task(5)
    def case_list(self) -> None:
        filters = ["", "?status=active", "?domain=money", "?sort=quiet", "?urgency=high", "?quiet_weeks=4"]
        page = self.client.get("/casussen/" + filters[random.randrange(len(filters))], name="team case list")
        ids = re.findall(r'href="/casussen/(\d+)/"', page.text)
        if ids:
            self.client.get(f"/casussen/{ids[len(ids) // 2]}/", name="case file")

    @task(2)
    def resident_search(self) -> None:
        word = ["Jansen", "Visser", "Dorpsstraat", "66", "de Vr"][random.randrange(5)]
        self.client.get(f"/casussen/aanmelden/inwoners/?q={word}", name="resident search")

    @task(2)
    def meeting(self) -> None:
        self.client.get("/overleg/", name="weekly meeting")

    @task(1)
    def journal(self) -> None:
        page = self.client.get("/casussen/?status=active", name="team case list")
        ids = re.findall(r'href="/casussen/(\d+)/"', page.text)
        if not ids:
            return
        case = self.client.get(f"/casussen/{ids[0]}/", name="case file")
        self.client.post(
            f"/casussen/{ids[0]}/journaal/",
            {
                "text": "Telefonisch contact gehad.",
                "visibility": "professionals",
                "csrfmiddlewaretoken": self.csrf(case.text),
            },
            name="write journal entry",
        )

    @task(1)
    def reports(self) -> None:
        self.client.get("/rapportages/", name="reports")


class Volunteer(Staff):
    weight = 20
    prefix = "v"

    def on_start(self) -> None:
        super().on_start()
        page = self.client.get("/vrijwillig/casussen/", name="my cases")
        self.cases = re.findall(r'href="/vrijwillig/casussen/(\d+)/"', page.text)

    @task(4)
    def my_cases(self) -> None:
        self.client.get("/vrijwillig/casussen/", name="my cases")

    @task(3)
    def open_case(self) -> None:
        if self.cases:
            self.client.get(f"/vrijwillig/casussen/{random.choice(self.cases)}/", name="case slice")

    @task(1)
    def log_visit(self) -> None:
        if not self.cases:
            return
        case = self.cases[0]
        form = self.client.get(f"/vrijwillig/casussen/{case}/bezoek/", name="home visit form")
        self.client.post(
            f"/vrijwillig/casussen/{case}/bezoek/",
            {
                "visited_on": datetime.date.today().isoformat(),
                "start_time": "10:00",
                "duration_minutes": "60",
                "company": "alone",
                "activities": "conversation",
                "summary": "Samen de post doorgenomen.",
                "submission_key": str(uuid.uuid4()),
                "csrfmiddlewaretoken": self.csrf(form.text),
            },
            name="log home visit",
        )

    @task(1)
    def board(self) -> None:
        self.client.get("/vrijwillig/open-vragen/", name="open questions")


class Coordinator(Staff):
    weight = 5
    prefix = "c"
    width = 2

    @task(3)
    def roster(self) -> None:
        self.client.get("/coordinatie/rooster/", name="roster week")

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/coordinatie/", name="coordination dashboard")

    @task(1)
    def reports(self) -> None:
        self.client.get("/rapportages/", name="reports")


class FloorVisitor(Staff):
    """The floor under the same load: a professional who only asks for the cheapest logged-in
    page (``/vloer/``, benchmark settings), with the same think time as the staff above."""

    prefix = "p"

    @task
    def floor(self) -> None:
        self.client.get("/vloer/", name="floor")


def sweep_steps() -> list[int]:
    return [int(users) for users in os.environ.get("LOAD_STEPS", "").split(",") if users.strip()]


STEP_SECONDS = int(os.environ.get("LOAD_STEP_SECONDS", "60"))
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "5"))

if sweep_steps():

    class Sweep(LoadTestShape):
        """Users rise step by step (``LOAD_STEPS``), each step held ``LOAD_STEP_SECONDS``; then stop."""

        def tick(self):
            step = int(self.get_run_time() // STEP_SECONDS)
            steps = sweep_steps()
            if step >= len(steps):
                return None
            return steps[step], SPAWN_RATE

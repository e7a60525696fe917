"""Sign-in under attack: throttled guesses, password checks on their own thread, and
sessions that end when the account's password changes or the account is closed.

Throttle state is kept in memory, per server process, not in proposals.db: every
failed guess would otherwise be a write queued on the database's one write
thread, ahead of real proposals and decisions, so an attacker could stall the
writers by guessing. ``termbank serve`` is one process; a restart forgets the
counts, which costs an attacker a restart they cannot cause. The tables are
bounded (oldest entries forgotten first), so spraying names cannot fill memory.

Client addresses are the TCP peer's (``scope["client"]``): behind a reverse
proxy every visitor shares the proxy's address, and the per-address limit
then acts as a site-wide one (the per-account limit still protects accounts).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from .. import reviewers


@dataclass
class Failures:
    count: int = 0
    blocked_until: float = 0.0
    last: float = 0.0


class Throttle:
    """Exponential back-off for one kind of key (an account, or a client address).

    The first ``free`` failures cost nothing; each one after blocks the key for
    ``base * 2**n`` seconds, up to ``ceiling``. A key untouched for ``forget``
    seconds starts again from zero.
    """

    def __init__(self, free: int, base: float = 1.0, ceiling: float = 900.0,
                 forget: float = 3600.0, capacity: int = 10_000, clock=time.monotonic):
        self.free, self.base, self.ceiling, self.forget = free, base, ceiling, forget
        self.capacity, self.clock = capacity, clock
        self.keys: OrderedDict[str, Failures] = OrderedDict()

    def _record(self, key: str) -> Failures:
        now = self.clock()
        record = self.keys.pop(key, None)
        if record is None or now - record.last > self.forget:
            record = Failures()
        self.keys[key] = record  # most recently used last
        while len(self.keys) > self.capacity:
            self.keys.popitem(last=False)
        return record

    def wait(self, key: str) -> float:
        """Seconds before ``key`` may try again (0: now)."""
        record = self.keys.get(key)
        return max(0.0, record.blocked_until - self.clock()) if record else 0.0

    def failed(self, key: str) -> None:
        record = self._record(key)
        record.count += 1
        record.last = self.clock()
        beyond = record.count - self.free
        if beyond > 0:
            record.blocked_until = record.last + min(self.ceiling, self.base * 2 ** (beyond - 1))

    def forgive(self, key: str, everything: bool) -> None:
        """Undo one counted failure (the attempt succeeded), or forget the key altogether."""
        record = self.keys.get(key)
        if record is None:
            return
        if everything:
            del self.keys[key]
        else:
            record.count = max(0, record.count - 1)


class SignInGuard:
    """Both throttles and the password checker of one site.

    An attempt is counted as failed when it starts and forgiven if it succeeds,
    so 200 guesses sent at once are throttled as they arrive, not after they
    have all been hashed. Hashing runs on one thread of its own (PBKDF2 is slow
    by design), never in Datasette's shared pool where lookups run, and at most
    ``queue`` checks wait for it: the rest are told to come back.
    """

    def __init__(self, queue: int = 8, hold: float = 10.0, held_at_most: int = 2000):
        self.accounts = Throttle(free=5, ceiling=900.0)
        self.addresses = Throttle(free=20, ceiling=900.0)
        self.queue = queue
        self.waiting = 0
        self.hold_ceiling, self.held_at_most, self.held = hold, held_at_most, 0
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="termbank-password")

    def admit(self, account: str, address: str) -> float:
        """0 and the attempt counted, or the seconds to wait before trying again."""
        keys = (account[:64], address)
        wait = max(self.accounts.wait(keys[0]), self.addresses.wait(keys[1]))
        if wait > 0:
            return wait
        self.accounts.failed(keys[0])
        self.addresses.failed(keys[1])
        return 0.0

    async def hold(self, seconds: float) -> float:
        """Keep a refused guess waiting (up to ``hold`` seconds) before it is answered, so a
        client that retries at once cannot turn fast refusals into a flood that crowds out
        the lookups; a waiting request costs the server nothing but its socket, and at most
        ``held_at_most`` wait at a time. Returns the seconds held."""
        if self.held >= self.held_at_most:
            return 0.0
        self.held += 1
        try:
            pause = min(seconds, self.hold_ceiling)
            await asyncio.sleep(pause)
            return pause
        finally:
            self.held -= 1

    def succeeded(self, account: str, address: str) -> None:
        self.accounts.forgive(account[:64], everything=True)
        self.addresses.forgive(address, everything=False)

    async def password_matches(self, password: str, encoded: str | None) -> bool | None:
        """The check, off the event loop and off Datasette's pool; None when too many wait."""
        if self.waiting >= self.queue:
            return None
        self.waiting += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                self.executor, reviewers.password_matches, password, encoded)
        finally:
            self.waiting -= 1

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


def client_address(request) -> str:
    client = request.scope.get("client")
    return str(client[0]) if client else "unknown"


ACTOR_COOKIE = "ds_actor"
EXPIRED_ACTOR = f"{ACTOR_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax".encode()


def actor_cookie(scope) -> str | None:
    for key, value in scope.get("headers", []):
        if bytes(key).lower() == b"cookie":
            for part in bytes(value).decode("latin-1").split(";"):
                name, _, content = part.strip().partition("=")
                if name == ACTOR_COOKIE:
                    return content
    return None


def without_actor_cookie(scope) -> dict:
    headers = []
    for key, value in scope.get("headers", []):
        if bytes(key).lower() == b"cookie":
            kept = [p for p in bytes(value).decode("latin-1").split(";")
                    if p.strip().partition("=")[0] != ACTOR_COOKIE]
            value = ";".join(kept).strip().encode("latin-1")
        headers.append([key, value])
    return {**scope, "headers": headers}


def stored_session(bank, account: str) -> str | None:
    """The account's session version now, read from the proposals database (None: no account)."""
    if not bank.overlay:
        return None
    row = bank.conn.execute("SELECT password_hash FROM proposals.reviewers WHERE id = ?",
                            [account]).fetchone()
    return reviewers.session_version(row[0] if row else None)


async def session_is_current(datasette, signed: str) -> bool:
    """False for a reviewer's cookie whose account has a new password or is gone; other
    cookies (not ours, badly signed, expired) are left to Datasette to judge."""
    from .site import Site

    try:
        actor = datasette.unsign(signed, "actor").get("a")
    except Exception:  # a bad signature or shape: Datasette ignores such a cookie itself
        return True
    if not isinstance(actor, dict) or "reviewer" not in (actor.get("roles") or []):
        return True
    site = Site.find(datasette)
    if site is None:
        return False
    current = await site.read(lambda bank: stored_session(bank, str(actor.get("id"))))
    return current is not None and current == actor.get("v")


def end_stale_sessions(app, datasette):
    """Requests with a stale reviewer cookie go on as anonymous, and the browser drops it."""

    async def checked(scope, receive, send):
        signed = actor_cookie(scope) if scope["type"] == "http" else None
        if not signed or await session_is_current(datasette, signed):
            await app(scope, receive, send)
            return

        async def expire(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []),
                                                   [b"set-cookie", EXPIRED_ACTOR]]}
            await send(message)

        await app(without_actor_cookie(scope), receive, expire)

    return checked

"""100 proposals at once, from parallel clients: all stored, none lost, none doubled."""

from __future__ import annotations

import asyncio
import http.client
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest

from termbank.proposals import ProposalStore

from .conftest import propose

CLIENTS = 100


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(bank_path, proposals_path):
    """`termbank serve` in a subprocess on a free loopback port, stopped afterwards."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "termbank", "serve", "--db", str(bank_path), "--proposals",
         str(proposals_path), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/-/lookup")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"termbank serve did not start: {process.stderr.read()}") from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def post_one(port: int, number: int) -> int:
    """What a browser does: GET the form (CSRF cookie and token), then POST it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/-/propose")
    form = connection.getresponse()
    html = form.read().decode()
    token = re.search(r'name="csrftoken" value="([^"]+)"', html).group(1)
    cookie = form.getheader("set-cookie").split(";")[0]
    body = urllib.parse.urlencode({"csrftoken": token, "concept": "pixel", "tag": "es-CL",
                                   "term": f"píxel número {number}", "name": f"client {number}"})
    connection.request("POST", "/-/propose", body=body, headers={
        "content-type": "application/x-www-form-urlencoded", "cookie": cookie,
        "accept": "application/json"})
    response = connection.getresponse()
    response.read()
    return response.status


def stored_terms(proposals_path) -> list[str]:
    store = ProposalStore(proposals_path)
    try:
        proposals = store.list()
        assert len({p.id for p in proposals}) == len(proposals)
        events = store.db.execute("SELECT count(*) FROM events WHERE kind = 'submitted'").fetchone()
        assert events[0] == len(proposals)
        return sorted(p.term for p in proposals)
    finally:
        store.close()


def test_parallel_clients_through_a_real_server(bank_path, proposals_path):
    with served(bank_path, proposals_path) as port, ThreadPoolExecutor(CLIENTS) as pool:
        statuses = list(pool.map(lambda n: post_one(port, n), range(CLIENTS)))
    assert statuses == [201] * CLIENTS
    assert stored_terms(proposals_path) == sorted(f"píxel número {n}" for n in range(CLIENTS))


@pytest.mark.asyncio
async def test_concurrent_posts_through_datasettes_client(ds, proposals_path):
    responses = await asyncio.gather(*(
        propose(ds, concept="camera", tag="pt-PT", term=f"câmara {n}") for n in range(CLIENTS)))
    assert [r.status_code for r in responses] == [201] * CLIENTS
    assert len({r.json()["proposal"]["id"] for r in responses}) == CLIENTS
    assert stored_terms(proposals_path) == sorted(f"câmara {n}" for n in range(CLIENTS))

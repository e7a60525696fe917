"""What every request goes through: redirect targets, body limits, security headers, and
hostile inputs that used to end in a 500."""

from __future__ import annotations

import re

import pytest

from termbank.proposals import ProposalStore
from termbank.web.safety import (
    MAX_BODY,
    MAX_FIELDS,
    datasette_script_hashes,
    local_target,
    script_hash,
)

from .conftest import actor_cookie, csrf, propose

pytestmark = pytest.mark.asyncio

GOOD = {"concept": "pixel", "tag": "es-AR", "term": "píxel", "note": "", "name": ""}


@pytest.mark.parametrize("target", [
    "/\t/evil.example/x", "/%09/evil.example/x", "//evil.example", "/\\evil.example",
    "/%5Cevil.example", "/%2F/evil.example", "/%252F%252Fevil.example", "https://evil.example",
    "javascript:alert(1)", "/\n/evil.example", "/%0d%0a/evil.example", "evil.example",
    "/%E2%80%AE/x", "", None])
async def test_a_redirect_target_off_the_site_falls_back(target):
    assert local_target(target, "/-/review") == "/-/review"


@pytest.mark.parametrize("target, kept", [
    ("/-/review", "/-/review"), ("/-/proposal/3?x=1#c", "/-/proposal/3?x=1#c"),
    ("/-/lookup?q=función", "/-/lookup?q=funci%C3%B3n"), ("/-/lookup?q=a%20b", "/-/lookup?q=a%20b")])
async def test_a_path_on_the_site_is_kept(target, kept):
    assert local_target(target, "/-/review") == kept


async def test_sign_in_never_sends_a_reviewer_off_the_site(ds):
    form = await ds.client.get("/-/signin?next=/%09/evil.example/x")
    assert re.search(r'name="next" value="/-/review"', form.text)
    token, cookies = await csrf(ds, "/-/signin")
    from .conftest import PASSWORD

    signed = await ds.client.post("/-/signin", cookies=cookies, data={
        "csrftoken": token, "account": "ana", "password": PASSWORD, "next": "/\t/evil.example/x"})
    assert signed.status_code == 303 and signed.headers["location"] == "/-/review"


async def test_a_decision_never_sends_a_reviewer_off_the_site(ds):
    number = (await propose(ds, **GOOD)).json()["proposal"]["id"]
    token, cookies = await csrf(ds, "/-/propose", actor_cookie(ds, "ana"))
    response = await ds.client.post(f"/-/proposal/{number}/decide", cookies=cookies, data={
        "csrftoken": token, "decision": "approve", "next": "/%09/evil.example/x"})
    assert response.status_code == 303 and response.headers["location"] == "/-/review"


async def test_the_renamed_parameter_redirect_stays_on_the_site(ds):
    response = await ds.client.get("//evil.example/-/lookup?lang=es")
    assert not response.headers.get("location", "").startswith("//")


def chunked_post(path: str, chunks, cookie: bytes = b"", kind=b"application/x-www-form-urlencoded"):
    """An HTTP POST scope with no Content-Length, and a receive() that hands out ``chunks``
    one at a time, counting the bytes the application actually pulled."""
    headers = [[b"content-type", kind], [b"transfer-encoding", b"chunked"],
               [b"host", b"localhost"]]
    if cookie:
        headers.append([b"cookie", cookie])
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
             "root_path": "", "headers": headers, "client": ("127.0.0.1", 5000),
             "server": ("localhost", 80)}
    pulled = [0]
    source = iter(chunks)

    async def receive():
        chunk = next(source, None)
        if chunk is None:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled[0] += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    return scope, receive, pulled


async def call(ds, scope, receive) -> tuple[int, dict, bytes]:
    answer: dict = {"body": b""}

    async def send(message):
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
            answer["headers"] = {bytes(k).decode().lower(): bytes(v).decode() for k, v in message["headers"]}
        else:
            answer["body"] += message.get("body", b"")

    await ds.app()(scope, receive, send)
    return answer["status"], answer["headers"], answer["body"]


@pytest.mark.parametrize("cookie", [b"", b"ds_csrftoken=abc"])
async def test_a_huge_chunked_body_is_refused_after_the_limit_not_read_whole(ds, cookie):
    chunk = b"note=" + b"n" * (16 * 1024 - 5)
    endless = (chunk for _ in range(200 * 64))  # 200 MB if it were all read
    scope, receive, pulled = chunked_post("/-/propose", endless, cookie)
    status, _, body = await call(ds, scope, receive)
    assert status == 413 and b"larger than 64 KB" in body
    assert pulled[0] <= MAX_BODY + len(chunk)


async def test_a_small_chunked_proposal_is_stored(ds, proposals_path):
    body = b"concept=pixel&tag=es-AR&term=p%C3%ADxel"
    scope, receive, _ = chunked_post("/-/propose", [body[:10], body[10:]])
    status, headers, answer = await call(ds, scope, receive)
    assert status == 303, answer[:300]
    assert headers["location"].startswith("/-/proposal/")
    assert [p.term for p in ProposalStore(proposals_path).list()] == ["píxel"]


async def test_a_declared_oversized_body_is_refused_on_any_post(ds):
    for path in ("/-/propose", "/-/signin", "/-/messages", "/termbank"):
        response = await ds.client.post(path, content=b"x" * (MAX_BODY + 1),
                                        headers={"content-type": "application/octet-stream"})
        assert response.status_code == 413, path


async def test_a_form_with_too_many_fields_is_refused(ds, proposals_path):
    token, cookies = await csrf(ds)
    body = f"csrftoken={token}&concept=pixel&tag=es&term=x&" + "&".join(
        f"f{i}=" for i in range(MAX_FIELDS))
    response = await ds.client.post("/-/propose", content=body.encode(), cookies=cookies, headers={
        "content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400 and f"more than {MAX_FIELDS} fields" in response.text
    assert ProposalStore(proposals_path).list() == []


@pytest.mark.parametrize("body", [b"term=%FF%FE&concept=pixel", b"term=\xff\xfe&concept=pixel"])
async def test_a_form_that_is_not_utf8_is_400_even_with_a_csrf_cookie(ds, body):
    token, cookies = await csrf(ds)
    response = await ds.client.post("/-/propose", content=body + f"&csrftoken={token}".encode(),
                                    cookies=cookies,
                                    headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400 and "not valid UTF-8" in response.text


async def test_json_nested_a_thousand_deep_is_400(ds):
    response = await ds.client.post("/-/propose", content=b"[" * 1000 + b"]" * 1000, headers={
        "content-type": "application/json", "accept": "application/json"})
    assert response.status_code == 400 and "not valid JSON" in response.json()["error"]


@pytest.mark.parametrize("path", ["/-/proposal/12345678901234567890123",
                                  "/-/proposal/9223372036854775808"])
async def test_a_proposal_id_too_large_for_sqlite_is_404(ds, path):
    response = await ds.client.get(path, headers={"accept": "application/json"})
    assert response.status_code == 404 and response.json()["field"] == "proposal"
    token, cookies = await csrf(ds, "/-/propose", actor_cookie(ds, "ana"))
    decided = await ds.client.post(path + "/decide", cookies=cookies, data={
        "csrftoken": token, "decision": "approve"}, headers={"accept": "application/json"})
    assert decided.status_code == 404


async def test_the_databases_and_metadata_lists_show_no_file_paths(ds, bank_path, proposals_path):
    for path in ("/-/databases.json", "/-/databases", "/-/metadata.json", "/-/metadata"):
        response = await ds.client.get(path)
        assert response.status_code == 200, path
        assert str(bank_path.parent) not in response.text, path
        assert str(proposals_path.parent) not in response.text, path
    names = {db["name"] for db in (await ds.client.get("/-/databases.json")).json()}
    assert names == {"termbank", "proposals"}


PAGES = ["/-/lookup", "/-/lookup?q=pixel&to=es-AR", "/-/lookup.json?q=pixel", "/-/concept/pixel",
         "/-/propose", "/-/signin", "/", "/termbank", "/termbank/terms", "/termbank/terms/1",
         "/termbank?sql=select+1", "/-/termbank.css", "/-/termbank.js", "/-/databases.json",
         "/no/such/page", "/-/proposal/999"]


@pytest.mark.parametrize("path", PAGES)
async def test_every_page_carries_the_security_headers(ds, path):
    response = await ds.client.get(path)
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] in ("same-origin", "no-referrer")
    policy = dict(part.strip().split(" ", 1) for part in
                  response.headers["content-security-policy"].split(";"))
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    # every inline script the page has is one the policy allows by its hash
    for script in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", response.text, re.S):
        assert script_hash(script) in policy["script-src"], script[:60]


async def test_a_refused_body_carries_the_headers_too(ds):
    response = await ds.client.post("/-/propose", content=b"x" * (MAX_BODY + 1))
    assert response.status_code == 413 and "content-security-policy" in response.headers


@pytest.mark.parametrize("path", ["/-/lookup?q=pixel&to=es-AR", "/-/concept/pixel", "/-/propose",
                                  "/-/signin", "/-/discuss/pixel/es"])
async def test_our_pages_have_no_inline_script_or_handler(ds, path):
    """Only Datasette's own base-page script is inline (allowed by its hash); ours are files."""
    html = (await ds.client.get(path)).text
    inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    assert all(script_hash(s) in datasette_script_hashes() for s in inline)
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html)
    assert '<script src="/-/termbank.js" defer></script>' in html


async def test_datasettes_inline_scripts_are_known_by_hash():
    assert len(datasette_script_hashes()) >= 3  # the menus, the SQL editor, the facet switch


@pytest.mark.parametrize("control", ["\u202e", "\u202a", "\u2066", "\u2069", "\u200f", "\u061c"])
async def test_a_proposal_with_a_bidi_control_is_refused(ds, proposals_path, control):
    response = await propose(ds, **{**GOOD, "term": f"píxel{control}"})
    assert response.status_code == 400 and response.json()["field"] == "term"
    assert f"U+{ord(control):04X}" in response.json()["error"]
    note = await propose(ds, **{**GOOD, "note": f"a{control}b"})
    assert note.status_code == 400 and note.json()["field"] == "note"
    assert ProposalStore(proposals_path).list() == []


async def test_terms_are_rendered_isolated(ds):
    html = (await ds.client.get("/-/lookup?q=pixel&to=es-AR")).text
    terms = re.findall(r'<span class="tb-term"[^>]*>', html)
    assert terms and all('dir="auto"' in span for span in terms)
    number = (await propose(ds, **GOOD)).json()["proposal"]["id"]
    page = (await ds.client.get(f"/-/proposal/{number}")).text
    assert re.search(r'<(bdi|span[^>]*dir="auto")[^>]*>píxel<', page)

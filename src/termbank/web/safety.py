"""What every request and response of the site goes through, whatever the route.

- ``local_target``: the one check of a redirect target (sign-in's and a decision's
  ``next``, the redirect of renamed parameters); only a path on this site passes.
- ``limit_bodies``: an ASGI middleware that reads at most ``MAX_BODY`` bytes of any
  request body (a declared Content-Length or a chunked stream alike), refuses a form
  with more than ``MAX_FIELDS`` fields or with text that is not UTF-8, and only then
  hands the body on. It wraps Datasette's CSRF middleware, so that one never buffers
  more than the limit.
- ``secure_headers``: Content-Security-Policy (no inline script but Datasette's own
  few, allowed by their hashes), frame-ancestors and X-Frame-Options, nosniff and a
  Referrer-Policy on every response.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import unicodedata
from functools import cache
from importlib.resources import files
from urllib.parse import parse_qsl, quote, unquote, urlsplit

MAX_BODY = 64 * 1024  # a proposal or comment is a few kilobytes at most
MAX_FIELDS = 100      # the site's forms have fewer than ten fields
BODILESS = ("GET", "HEAD", "OPTIONS")
# Kept as typed in a redirect target: the path and query punctuation, and escapes already made.
TARGET_SAFE = "/?&=#%:@!$'()*+,;~-._[]"


def local_target(value: str | None, default: str) -> str:
    """``value`` when it is a path on this site, else ``default``.

    Browsers drop tabs and line breaks from a URL and read ``\\`` as ``/``, so
    ``/\\t/evil.example`` or ``/%5C/evil.example`` would leave the site: the value
    is percent-decoded until it stops changing, then must start with one ``/``
    and hold no second ``/`` at its start, no backslash, no scheme or host and no
    control, format or separator character. What passes is re-quoted so the
    Location header is plain ASCII.
    """
    if not value or not value.startswith("/"):
        return default
    decoded = value
    for _ in range(5):
        once = unquote(decoded)
        if once == decoded:
            break
        decoded = once
    else:
        return default
    parts = urlsplit(decoded)
    if (decoded.startswith("//") or "\\" in decoded or parts.scheme or parts.netloc
            or any(unicodedata.category(c)[0] in "CZ" and c != " " for c in decoded)):
        return default
    return quote(value, safe=TARGET_SAFE)


def plain_answer(status: int, message: str, json_wanted: bool) -> tuple[dict, dict]:
    """The start and body messages of a short refusal, as text or as the site's JSON errors."""
    if json_wanted:
        body = json.dumps({"error": message, "field": None, "status": status}).encode()
        kind = b"application/json; charset=utf-8"
    else:
        body, kind = f"{status}: {message}\n".encode(), b"text/plain; charset=utf-8"
    return ({"type": "http.response.start", "status": status,
             "headers": [[b"content-type", kind], [b"content-length", str(len(body)).encode()]]},
            {"type": "http.response.body", "body": body})


def header(scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if bytes(key).lower() == name:
            return bytes(value).decode("latin-1")
    return ""


def form_problem(content_type: str, body: bytes) -> str | None:
    """Why a form body is refused (too many fields, not UTF-8), or None."""
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        if body.count(b"&") + 1 > MAX_FIELDS:
            return f"The form has more than {MAX_FIELDS} fields."
        try:
            parse_qsl(body.decode("utf-8"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            return "The form is not valid UTF-8."
    elif kind == "multipart/form-data":
        boundary = re.search(r"boundary=\"?([^\";]+)", content_type)
        if boundary and body.count(b"--" + boundary.group(1).encode("latin-1")) - 1 > MAX_FIELDS:
            return f"The form has more than {MAX_FIELDS} fields."
    return None


def limit_bodies(app):
    """Read a request body up to ``MAX_BODY`` bytes, check a form's fields, then replay it."""

    async def limited(scope, receive, send):
        if scope["type"] != "http" or scope.get("method") in BODILESS:
            await app(scope, receive, send)
            return
        json_wanted = "application/json" in header(scope, b"accept")
        too_large = f"The request is larger than {MAX_BODY // 1024} KB."
        declared = header(scope, b"content-length")
        if declared and (not declared.isdigit() or int(declared) > MAX_BODY):
            for message in plain_answer(413, too_large, json_wanted):
                await send(message)
            return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            if len(body) > MAX_BODY:
                for answer in plain_answer(413, too_large, json_wanted):
                    await send(answer)
                return
            if not message.get("more_body"):
                break
        problem = form_problem(header(scope, b"content-type"), bytes(body))
        if problem:
            for answer in plain_answer(400, problem, json_wanted):
                await send(answer)
            return
        pending = [{"type": "http.request", "body": bytes(body), "more_body": False}]

        async def replay():
            return pending.pop() if pending else await receive()

        await app(scope, replay, send)

    return limited


def script_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"


@cache
def datasette_script_hashes() -> tuple[str, ...]:
    """The hashes of the inline scripts Datasette's own templates write (the menus, the SQL
    editor, the table's facet switch), read from the installed templates so an upgrade
    within 0.65 keeps its pages working; every other inline script is refused."""
    templates = files("datasette") / "templates"
    scripts = []
    for template in templates.iterdir():
        if not template.name.endswith(".html"):
            continue
        for script in re.findall(r"<script>(.*?)</script>", template.read_text("utf-8"), re.S):
            if "{{ datasette_allow_facet }}" in script:
                scripts += [script.replace("{{ datasette_allow_facet }}", v)
                            for v in ("true", "false")]
            elif "{{" not in script and "{%" not in script:
                scripts.append(script)
    return tuple(sorted({script_hash(s) for s in scripts}))


def content_policy(writer: str | None = None) -> str:
    """The site's Content-Security-Policy: everything from this site, scripts from files only
    (no inline script or event handler but Datasette's hashed few), no framing, no plugins;
    forms post here or to the writer a replica sends them to."""
    origin = ""
    if writer:
        parts = urlsplit(writer)
        origin = f" {parts.scheme}://{parts.netloc}"
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(datasette_script_hashes()),
        "style-src 'self' 'unsafe-inline'",  # Datasette's templates set style attributes
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        f"form-action 'self'{origin}",
        "frame-ancestors 'none'",
    ])


def secure_headers(app, policy):
    """Add the security headers to every response that does not set its own.
    ``policy()`` gives the Content-Security-Policy (read when the first response starts,
    after the site's configuration is known)."""

    async def guarded(scope, receive, send):
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        extra = {b"content-security-policy": policy().encode(),
                 b"x-frame-options": b"DENY",
                 b"x-content-type-options": b"nosniff",
                 b"referrer-policy": b"same-origin"}

        async def with_headers(message):
            if message["type"] == "http.response.start":
                present = {bytes(k).lower() for k, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []), *(
                    [k, v] for k, v in extra.items() if k not in present)]}
            await send(message)

        await app(scope, receive, with_headers)

    return guarded

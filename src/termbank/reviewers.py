"""Reviewer accounts: who may approve proposals, and in which languages.

Accounts live in the ``reviewers`` table of the proposals database and are
made with ``termbank reviewer add``. Passwords are stored as salted PBKDF2
hashes in the ``pbkdf2_sha256$iterations$salt$hash`` form that Django and
datasette-auth-passwords use, so a hash can move between them. A reviewer's
languages are BCP 47 tags: ``es`` covers every Spanish dialect, ``es-MX`` only
Mexican Spanish, ``*`` everything.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass

from . import langtags
from .errors import TermbankError
from .proposals import Proposal, ProposalError, ProposalStore, now

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 480_000  # Django 4.2's default, as datasette-auth-passwords uses
ACCOUNT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
MIN_PASSWORD = 8
EVERY_LANGUAGE = "*"


class ReviewerError(TermbankError):
    """An account could not be made, found or changed."""


class NotTheirLanguage(ProposalError):
    """A reviewer tried to decide a proposal outside the languages they review."""

    def __init__(self, reviewer: Reviewer, tag: str):
        super().__init__("reviewer", f"{reviewer.id} reviews {', '.join(reviewer.languages)}, "
                                     f"not {tag}", 403)
        self.languages, self.tag = reviewer.languages, tag


def hash_password(password: str, salt: str | None = None, iterations: int = ITERATIONS) -> str:
    """A salted PBKDF2-SHA256 hash; the salt and cost travel inside the string."""
    salt = salt or secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt.encode("ascii"),
                                 iterations)
    return f"{ALGORITHM}${iterations}${salt}${base64.b64encode(digest).decode('ascii')}"


def verify_password(password: str, encoded: str | None) -> bool:
    """True when ``password`` gives ``encoded``; compared in constant time."""
    parts = (encoded or "").split("$")
    if len(parts) != 4 or parts[0] != ALGORITHM or not parts[1].isdigit():
        return False
    return hmac.compare_digest(hash_password(password, parts[2], int(parts[1])), encoded or "")


# Checked when no account matches, so a wrong name costs as long as a wrong password.
DUMMY_HASH = hash_password("not a password", "0" * 32)


@dataclass(frozen=True)
class Reviewer:
    id: str
    name: str
    languages: tuple[str, ...]

    def may_review(self, tag: str) -> bool:
        """A reviewer of ``es`` decides es, es-419 and es-MX; one of es-MX only es-MX."""
        if EVERY_LANGUAGE in self.languages:
            return True
        chain = langtags.fallback_chain(tag)
        return any(language in chain for language in self.languages)

    def actor(self, session: str) -> dict:
        """The Datasette actor signed into the ``ds_actor`` cookie at sign-in; ``session`` is
        the account's ``session_version`` then, so the cookie ends with the password."""
        return {"id": self.id, "name": self.name, "roles": ["reviewer"], "v": session}


def decide(store: ProposalStore, proposal_id: int, decision: str, account: str,
           comment: str | None = None) -> Proposal:
    """Approve, reject or confirm as ``account``, who must review the proposal's language:
    the one place the rule is enforced, for the web and the shell alike."""
    reviewer = get(store, account)
    if reviewer is None:
        raise ReviewerError(f"no reviewer {account!r}; `termbank reviewer list` shows them")
    tag = store.get(proposal_id).tag
    if not reviewer.may_review(tag):
        raise NotTheirLanguage(reviewer, tag)
    return store.decide(proposal_id, decision, account, comment)


def parse_languages(text: str) -> tuple[str, ...]:
    """``"es, es_MX"`` -> ``("es", "es-MX")``; ``*`` stands for every language."""
    items = [item.strip() for item in text.split(",") if item.strip()]
    if not items:
        raise ReviewerError("give at least one language tag (e.g. --languages es,es-MX) or '*'")
    return tuple(dict.fromkeys(i if i == EVERY_LANGUAGE else langtags.normalize(i)
                               for i in items))


def add(store: ProposalStore, account: str, password: str, languages: tuple[str, ...],
        name: str | None = None) -> Reviewer:
    """Create an account; refuses a taken name, a bad name or a short password."""
    if not ACCOUNT_ID.match(account):
        raise ReviewerError(f"{account!r}: an account name is 1-40 letters, digits, '.', '_' "
                            "or '-', starting with a letter or digit")
    if get(store, account) is not None:
        raise ReviewerError(f"reviewer {account!r} exists already; "
                            "use `termbank reviewer password` to change the password")
    _check_password(password)
    store.db.table("reviewers").insert({
        "id": account, "name": (name or account).strip(), "password_hash": hash_password(password),
        "languages": json.dumps(list(languages)), "created_at": now()})
    reviewer = get(store, account)
    assert reviewer is not None
    return reviewer


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ReviewerError(f"the password is too short: at least {MIN_PASSWORD} characters")


def get(store: ProposalStore, account: str) -> Reviewer | None:
    row = store.db.conn.execute("SELECT id, name, languages FROM reviewers WHERE id = ?",
                                [account]).fetchone()
    return _reviewer(row) if row else None


def _reviewer(row) -> Reviewer:
    return Reviewer(row[0], row[1] or row[0], tuple(json.loads(row[2] or "[]")))


def everyone(store: ProposalStore) -> list[Reviewer]:
    rows = store.db.conn.execute("SELECT id, name, languages FROM reviewers ORDER BY id")
    return [_reviewer(row) for row in rows]


def account_hash(store: ProposalStore, account: str) -> str | None:
    """The stored hash of an account (the web checks it off the database's write thread)."""
    row = store.db.conn.execute("SELECT password_hash FROM reviewers WHERE id = ?",
                                [account]).fetchone()
    return row[0] if row else None


def session_version(encoded: str | None) -> str | None:
    """A short fingerprint of an account's stored hash, carried in its session cookies.

    Setting a password stores a new salt, closing the account removes the hash,
    and adding it again makes a new one: each changes (or ends) the version, so
    every cookie signed before stops working. It reveals nothing of the password.
    """
    if not encoded:
        return None
    return hashlib.sha256(f"termbank session|{encoded}".encode()).hexdigest()[:16]


def password_matches(password: str, encoded: str | None) -> bool:
    """``verify_password`` that costs as much for an unknown account as for a wrong password."""
    return verify_password(password, encoded or DUMMY_HASH) and encoded is not None


def authenticate(store: ProposalStore, account: str, password: str) -> Reviewer | None:
    """The reviewer whose name and password these are, else None."""
    if not password_matches(password, account_hash(store, account)):
        return None
    return get(store, account)


def set_password(store: ProposalStore, account: str, password: str) -> None:
    _check_password(password)
    if get(store, account) is None:
        raise ReviewerError(f"no reviewer {account!r}; `termbank reviewer list` shows them")
    store.db.execute("UPDATE reviewers SET password_hash = ? WHERE id = ?",
                     [hash_password(password), account])


def remove(store: ProposalStore, account: str) -> None:
    """Close an account; the decisions it made stay in the history under its name."""
    if get(store, account) is None:
        raise ReviewerError(f"no reviewer {account!r}; `termbank reviewer list` shows them")
    store.db.execute("DELETE FROM reviewers WHERE id = ?", [account])

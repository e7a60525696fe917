"""The whole round in a real browser (Debian's chromium through Playwright): look a term up,
propose a translation, sign in as a reviewer, approve it, find it in a lookup.

No skip: without /usr/bin/chromium or the playwright package this test fails (`.ci/run`
installs both)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect, sync_playwright

from termbank import reviewers
from termbank.proposals import ProposalStore

from ..web.test_concurrency import served

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.mark.browser
def test_search_propose_sign_in_approve_and_find(bank_path, tmp_path):
    proposals = tmp_path / "proposals.db"
    store = ProposalStore(proposals)
    reviewers.add(store, "ana", "a long password", ("es",), "Ana Pérez")
    store.close()
    with served(bank_path, proposals) as port, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(locale="en-US")
            page.set_default_timeout(15_000)
            site = f"http://127.0.0.1:{port}"

            page.goto(f"{site}/-/lookup")
            page.fill("#tb-q", "pixels")
            page.select_option("#tb-to", "es-AR")
            page.click("button[type=submit]")
            card = page.locator("article.tb-card").first
            expect(card.locator(".tb-chosen")).to_contain_text("pixel")
            expect(card.locator(".tb-chosen")).to_contain_text("from es-419")

            card.get_by_role("link", name="Propose a term in español (Argentina)").click()
            expect(page.locator("#tb-concept")).to_have_value("pixel")  # chosen, not typed
            expect(page.locator("#tb-tag")).to_have_value("es-AR")
            page.fill("#tb-term", "punto de imagen")
            page.fill("#tb-note", "Así lo dicen en los laboratorios de Rosario.")
            page.fill("#tb-name", "Sofía")
            page.get_by_role("button", name="Send the proposal").click()
            expect(page).to_have_url(re.compile(r"/-/proposal/1$"))
            expect(page.locator("body")).to_contain_text("Your proposal is stored")

            page.goto(f"{site}/-/signin")
            page.fill("#tb-account", "ana")
            page.fill("#tb-password", "a long password")
            page.get_by_role("button", name="Sign in").click()
            expect(page).to_have_url(re.compile(r"/-/review$"))
            item = page.locator("#proposal-1")
            expect(item).to_contain_text("punto de imagen")
            item.locator("textarea").fill("Confirmado.")
            item.get_by_role("button", name="Approve").click()
            expect(page.locator("body")).to_contain_text("Proposal 1 approved")

            page.goto(f"{site}/-/lookup?q=punto+de+imagen&to=es-AR")
            chosen = page.locator("article.tb-card .tb-chosen").first
            expect(chosen).to_contain_text("punto de imagen")
            expect(chosen).to_contain_text("reviewed")
            expect(chosen).to_contain_text("reliability 3/4")
            page.screenshot(path=str(tmp_path / "approved.png"), full_page=True)
        finally:
            browser.close()

"""A reader who does not read English, in a real browser (Debian's chromium through Playwright):
search in their language, read the card, see where the dialects differ, propose a term from the
card without knowing any id, and a reviewer approves it. Every page is checked with axe-core (no
serious or critical violation), for width at 390 px, 1280 px and 200 % zoom, and screenshots of
each are saved under tmp/artifacts/ (not committed) for a person to look at.

No skip: without chromium, playwright or tests/browser/axe's node_modules (scripts/setup --test
installs them) this test fails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright

from termbank import langtags, reviewers
from termbank.proposals import ProposalStore
from termbank.web.interface import translations

from ..web.test_concurrency import served
from .test_review_flow import ARGS, CHROMIUM

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "browser" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tmp" / "artifacts"
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900), "zoom200": (640, 450)}  # 1280 px at 200 %
PASSWORD = "a long password"

FLOWS = [  # interface, dialect, what the reader types, the card's title, the proposed term
    ("es", "es-MX", "umbralización", "umbralización", "umbralado"),
    ("fr", "fr-CA", "seuillage", "seuillage", "seuillage binaire"),
    ("pt", "pt-PT", "limiarização", "limiarização", "binarização por limiar"),
]


def check_page(page: Page, ui: str, name: str) -> list[str]:
    """axe-core's serious and critical violations, and widths where the page runs off the screen;
    screenshots of each width saved."""
    problems = []
    folder = ARTIFACTS / ui
    folder.mkdir(parents=True, exist_ok=True)
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{name} at {label}: {overflow} px wider than the screen")
        if label != "zoom200":
            page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=True)
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {resultTypes: ['violations']});
        return result.violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
    }""")
    problems += [f"{name}: {v}" for v in found]
    page.set_viewport_size({"width": 1280, "height": 900})
    return problems


def keyboard_to(page: Page, element_id: str, presses: int = 25) -> None:
    """Tab through the page until ``element_id`` has the focus, as a keyboard user would."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with the Tab key")


@pytest.mark.browser
@pytest.mark.parametrize("ui, dialect, typed, title, proposed", FLOWS)
def test_a_reader_searches_reads_compares_proposes_and_a_reviewer_approves(
        bank_path, tmp_path, ui, dialect, typed, title, proposed):
    _ = translations(ui).gettext
    assert AXE.is_file(), "run scripts/setup --test: it installs axe-core for this test"
    proposals = tmp_path / "proposals.db"
    store = ProposalStore(proposals)
    reviewers.add(store, "rev", PASSWORD, (ui,), "Reviewer")
    store.close()
    problems: list[str] = []
    with served(bank_path, proposals) as port, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(locale=dialect, bypass_csp=True,
                                          viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.set_default_timeout(15_000)
            site = f"http://127.0.0.1:{port}"

            # search by keyboard alone, offered matching terms while typing
            page.goto(f"{site}/-/lookup?ui={ui}")
            expect(page.locator("html")).to_have_attribute("lang", ui)
            problems += check_page(page, ui, "lookup")
            keyboard_to(page, "tb-q")
            page.keyboard.type(typed[:5], delay=40)
            expect(page.locator("#tb-q-suggestions option").first).to_have_attribute(
                "value", re.compile(re.escape(typed[:4])))
            page.keyboard.type(typed[5:])
            page.select_option("#tb-to", dialect)
            page.focus("#tb-q")
            page.keyboard.press("Enter")

            # the card: the dialect's term as title, dialects that agree grouped
            card = page.locator("article.tb-card").first
            expect(card.locator("h2")).to_have_text(title)
            expect(card.locator(".tb-english")).to_contain_text("thresholding")
            expect(card.locator(".tb-meta").first).to_contain_text(_("Segmentation"))
            row = card.locator(".tb-dialects tbody tr.tb-current")
            expect(row.locator("th")).to_contain_text(dialect)
            expect(row.locator("th")).to_contain_text(", ")        # grouped with others
            problems += check_page(page, ui, "search-results")

            page.get_by_role("link", name=_("Where the dialects of this language differ")).click()
            expect(page).to_have_url(re.compile(r"/-/dialects\?family="))
            family = langtags.display_name(langtags.language(dialect), ui)
            expect(page.locator("h1")).to_have_text(
                _("Where the dialects of {language} differ").format(language=family))
            expect(page.locator(".tb-counts")).to_be_visible()
            problems += check_page(page, ui, "dialects")
            page.go_back()

            card.locator("h2 a").click()                            # the concept's own page
            expect(page).to_have_url(re.compile(r"/-/concept/thresholding\?to="))
            problems += check_page(page, ui, "concept")

            # propose from the card: the concept and dialect are already chosen, by name
            page.get_by_role("link", name=re.compile(re.escape(
                _("Propose a term in {dialect}").split("{")[0]))).first.click()
            expect(page.locator("#tb-about")).to_contain_text(title)
            expect(page.locator("#tb-tag")).to_have_value(dialect)
            assert page.locator("#tb-find").count() == 0
            problems += check_page(page, ui, "propose")
            page.fill("#tb-term", proposed)
            page.get_by_role("button", name=_("Send the proposal")).click()
            expect(page).to_have_url(re.compile(r"/-/proposal/1$"))

            page.goto(f"{site}/-/signin")
            problems += check_page(page, ui, "signin")
            page.fill("#tb-account", "rev")
            page.fill("#tb-password", PASSWORD)
            page.get_by_role("button", name=_("Sign in")).click()
            expect(page).to_have_url(re.compile(r"/-/review$"))
            item = page.locator("#proposal-1")
            expect(item).to_contain_text(proposed)
            problems += check_page(page, ui, "review")
            item.get_by_role("button", name=_("Approve")).click()
            expect(page.locator("body")).to_contain_text(
                _("Proposal {id} approved: it shows in lookups now.").format(id=1))

            page.goto(f"{site}/-/lookup?q={proposed}&to={dialect}")
            expect(page.locator("article.tb-card .tb-chosen").first).to_contain_text(proposed)
        finally:
            browser.close()
    assert problems == []


@pytest.mark.browser
def test_from_the_menu_the_form_finds_the_concept_by_a_typed_term(bank_path, tmp_path):
    """The form's script offers the concepts of a typed term (from /-/lookup.json) as choices;
    picking one by keyboard and sending stores the proposal for that concept."""
    _ = translations("es").gettext
    proposals = tmp_path / "proposals.db"
    ProposalStore(proposals).close()
    with served(bank_path, proposals) as port, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(locale="es-MX")
            page.set_default_timeout(15_000)
            page.goto(f"http://127.0.0.1:{port}/-/lookup?ui=es")
            page.locator("details.nav-menu summary").click()
            page.get_by_role("link", name=_("Propose a term")).click()
            page.select_option("#tb-tag", "es-MX")
            page.focus("#tb-find")
            page.keyboard.type("umbraliza", delay=30)
            choice = page.locator("#tb-candidates input[type=radio][value=thresholding]")
            expect(choice).to_be_checked()
            expect(page.locator("#tb-candidates label")).to_contain_text("umbralización")
            page.fill("#tb-term", "umbralado")
            page.get_by_role("button", name=_("Send the proposal")).click()
            expect(page).to_have_url(re.compile(r"/-/proposal/1$"))
        finally:
            browser.close()
    stored = ProposalStore(proposals).get(1)
    assert (stored.concept_id, stored.tag, stored.term) == ("thresholding", "es-MX", "umbralado")

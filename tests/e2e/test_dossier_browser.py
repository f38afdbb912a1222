"""A manager opens a project's dossier in a real browser, in Traditional Chinese, and prints it:
under print media the dossier's print stylesheet hides the site's chrome and shows the print note."""
from __future__ import annotations

import pytest

from engine import demo

from .conftest import OUTPUT, shot
from .pages import log_in

pytestmark = pytest.mark.e2e


def test_a_manager_opens_a_projects_dossier_and_prints_it(page, live):
    iid = demo.to_manager_review(live.engine, "amy", "台北捷運票務系統")
    demo.complete_open(live.engine, iid, "manager_review", "return", return_to="proposal")
    demo.complete_open(live.engine, iid, "proposal")

    log_in(page, live.url, "bob")
    page.goto(f"{live.url}/projects/{iid}")
    page.click("text=專案卷宗")
    assert page.locator("h1").inner_text() == "台北捷運票務系統"
    assert page.locator("section.dossier-section h2").nth(1).inner_text() == "客戶資訊表"
    assert "TWD 2,500,000" in page.locator("section.deal-size").inner_text()
    assert "請補充預算核准流程" in page.locator("table.dossier-decisions").inner_text()
    assert page.locator("header.site-header").is_visible()
    assert not page.locator(".print-only").is_visible()
    shot(page, "30-dossier")

    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    assert not page.locator("p.no-print").is_visible()
    assert page.locator(".print-only").is_visible()
    assert page.locator("section.dossier-section").first.evaluate(
        "e => getComputedStyle(e).breakInside") == "avoid-page"
    OUTPUT.mkdir(exist_ok=True)
    pdf = page.pdf(path=str(OUTPUT / "31-dossier.pdf"), prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000

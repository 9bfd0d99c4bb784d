"""Helpers for reading desk pages in the browser as a person does: log in, and the text people see."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.e2e.conftest import LiveDesk

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# `1 Des 2026 04.36 WIB`: the one way the desk and the police summary write a time.
LOCAL_TIME = re.compile(r"\b\d{1,2} (Jan|Feb|Mar|Apr|Mei|Jun|Jul|Agu|Sep|Okt|Nov|Des) \d{4} \d{2}\.\d{2} WIB\b")
ISO_8601 = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?\b")

# Everything a person can read on the page (text, tooltips, placeholders, labels), except what is quoted
# from the source (marked data-source-text): the ad's own words are evidence, not the desk's.
_VISIBLE_TEXT_JS = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('[data-source-text], script, style').forEach(e => e.remove());
  const said = [document.title];
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) { said.push(node.nodeValue); }
  body.querySelectorAll('[title], [placeholder], [aria-label]').forEach(e => {
    for (const name of ['title', 'placeholder', 'aria-label']) {
      if (e.getAttribute(name)) { said.push(e.getAttribute(name)); }
    }
  });
  return said.join('\\n');
}"""


def log_in(browser: Browser, desk: LiveDesk, username: str,
           viewport: dict[str, int] = LAPTOP) -> tuple[BrowserContext, Page]:
    context = browser.new_context(viewport=viewport, accept_downloads=True)  # type: ignore[arg-type]
    page = context.new_page()
    page.goto(f"{desk.url}/desk/masuk")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", desk.password(username))
    page.click("button[type=submit]")
    expect(page).not_to_have_url(re.compile(r"/desk/masuk"))
    return context, page


def visible_text(page: Page) -> str:
    """The page's own words (see _VISIBLE_TEXT_JS), hidden parts included: a closed <details> opens."""
    return str(page.evaluate(_VISIBLE_TEXT_JS))

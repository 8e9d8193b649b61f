"""The pager in a real browser: on a phone it fits, the keyboard reaches every link and shows where it is.

The small blog of ``tests/roots/test-pages`` with one post a page (twelve
pages: the pager shows gaps, in its widest form), served as Read the Docs
serves it and opened in Debian's chromium:

- 412 px wide, nothing scrolls sideways; the pager's links wrap inside the
  column without overlapping, each a target of at least 44 by 44 px, and the
  page shown stands out;
- Tab from the top of the page reaches every link of the pager in order, each
  on screen with a focus ring it has only when focused, and Enter on "下一页"
  opens the next page;
- axe-core finds no violation on a page with a pager, light and dark, on a
  phone and on a wide screen.
"""

from __future__ import annotations

import pytest

from conftest import built, copy_root, serve
from conftest import AXE, PHONE, WIDE, run_axe
from test_site_browser import LOOK, tab_to

PAGE = "blog/page/6.html"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    root = tmp_path_factory.mktemp("pager")
    build = built(copy_root("pages", root / "blog"), root / "out", {"SPHINXOPTS": "-n -W --keep-going -D blog_posts_per_page=1"})
    with serve(build.html) as url:
        yield url


@pytest.fixture
def open_page(browser):
    contexts = []

    def open_(path: str, **options):
        context = browser.new_context(**{**WIDE, **options})
        contexts.append(context)
        page = context.new_page()
        page.goto(path)
        page.wait_for_load_state("load")
        page.evaluate("document.fonts.ready.then(() => true)")
        return page

    yield open_
    for context in contexts:
        context.close()


PAGER_LINKS = """() => [...document.querySelectorAll("nav.blog-pager a")].map(a => {
  const box = a.getBoundingClientRect();
  return {text: a.textContent.trim(), left: box.left, right: box.right, top: box.top, bottom: box.bottom,
          width: box.width, height: box.height, current: a.getAttribute("aria-current") === "page",
          background: getComputedStyle(a).backgroundColor};
})"""


def test_on_a_phone_the_pager_fits_the_screen_with_targets_big_enough(open_page, base_url):
    page = open_page(base_url + PAGE, **PHONE)
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    links = page.evaluate(PAGER_LINKS)
    assert [link["text"] for link in links] == ["上一页", "1", "4", "5", "6", "7", "8", "12", "下一页"]
    column = page.locator("article.bd-article").bounding_box()
    for link in links:
        assert column["x"] - 1 <= link["left"] and link["right"] <= column["x"] + column["width"] + 1, link
        assert link["width"] >= 44 and link["height"] >= 44, link
    for n, one in enumerate(links):
        for other in links[n + 1 :]:
            apart = one["right"] <= other["left"] or other["right"] <= one["left"] or one["bottom"] <= other["top"] or other["bottom"] <= one["top"]
            assert apart, (one, other)
    # The page shown is filled; the others are not.
    current = [link for link in links if link["current"]]
    assert [link["text"] for link in current] == ["6"]
    assert len({link["background"] for link in links if not link["current"]}) == 1
    assert current[0]["background"] not in {link["background"] for link in links if not link["current"]}


@pytest.mark.parametrize("layout", ["phone", "wide"])
def test_the_keyboard_reaches_every_pager_link_in_order_with_its_focus_shown(open_page, base_url, layout):
    page = open_page(base_url + PAGE, **(PHONE if layout == "phone" else WIDE))
    expected = page.evaluate(f"""() => {{
      const look = {LOOK};
      const links = [...document.querySelectorAll("nav.blog-pager a")];
      window.pagerLooks = links.map(look);
      links.forEach((link, index) => {{ link.dataset.pager = index; }});
      return links.map(link => link.textContent.trim());
    }}""")
    page.evaluate("document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute('tabindex')")
    reached = []
    for _ in range(300):
        page.keyboard.press("Tab")
        focused = page.evaluate(f"""() => {{
          const look = {LOOK};
          const element = document.activeElement;
          if (element === document.body) return null;
          if (element.dataset.pager === undefined) return {{pager: false}};
          const box = element.getBoundingClientRect();
          return {{
            pager: true,
            text: element.textContent.trim(),
            ring: look(element) !== "" && look(element) !== window.pagerLooks[element.dataset.pager],
            shown: box.top >= 0 && box.bottom <= innerHeight && box.left >= 0 && box.right <= innerWidth,
          }};
        }}""")
        if focused is None:
            break
        if focused["pager"]:
            assert focused["ring"] and focused["shown"], focused
            reached.append(focused["text"])
    assert reached == expected
    # From the top again, to "下一页", which Enter follows.
    page.evaluate("document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute('tabindex')")
    tab_to(page, "nav.blog-pager a[rel=next]", limit=300)
    page.keyboard.press("Enter")
    page.wait_for_url("**/blog/page/7.html")
    assert page.locator("nav.blog-pager a[aria-current=page]").inner_text() == "7"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("layout", ["phone", "wide"])
def test_axe_finds_no_violation_on_a_page_with_a_pager(open_page, base_url, layout, scheme):
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make test`, or `npm ci --prefix audit` (audit/package.json pins axe-core)")
    page = open_page(base_url + PAGE, color_scheme=scheme, **(PHONE if layout == "phone" else WIDE))
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    assert run_axe(page, AXE.read_text(encoding="utf-8")) == []

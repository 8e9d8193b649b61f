"""Every page type in a real browser: self-contained, accessible, readable on a phone.

The site is built as ``make audit`` builds it, with a sample post with math
(``audit/sample_site.py``), served gzip-compressed on 127.0.0.1 and opened in
Debian's chromium. For each page type (home, a post with math, a tag page,
the archive, the search page with a query, an English post):

- nothing is requested from another host, nothing fails to load, and the
  console shows no error or warning; an offline copy, opened from disk with
  the network cut off, still shows its math;
- axe-core (WCAG 2.1 A and AA, and best practices) finds no violation, in
  light and dark mode, on a wide screen and on a phone;
- the keyboard alone reaches everything, with its focus always shown, and
  works the skip link, the colour mode menu and the phone's navigation;
- dark mode follows the system, can be switched with the theme's button and
  stays switched after a reload and on other pages;
- 412 px wide: nothing scrolls sideways but a formula or code block inside
  the column, and the navigation opens and leads to its pages;
- Chinese is drawn with the Simplified Chinese font of the stack, also on
  pages in English; English posts say ``lang="en"``.

Screenshots of each page type in light, dark and phone layouts are written
to ``tests/artifacts/screenshots/``.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from conftest import PHONE, PROJECT, WIDE, built, run_axe, serve, settle
from sample_site import ENGLISH_POST, PAGE_TYPES, copy_with_sample_post

PAGES = {**PAGE_TYPES, "English post": ENGLISH_POST}
MATH_POST = PAGE_TYPES["post with math"]
SCREENSHOTS = PROJECT / "tests" / "artifacts" / "screenshots"
HAN = re.compile(r"[\u4e00-\u9fff]")
# The font of fonts-noto-cjk that the stack of _static/blog.css names for
# Simplified Chinese (Debian has no other CJK font).
CJK_FONT = "Noto Sans CJK SC"


@pytest.fixture(scope="module")
def audited_site(tmp_path_factory):
    root = tmp_path_factory.mktemp("audited")
    return built(copy_with_sample_post(root / "project"), root / "build")


@pytest.fixture(scope="module")
def base_url(audited_site):
    with serve(audited_site.html) as url:
        yield url


def screenshot(page, name: str, layout: str) -> None:
    """The screen as a reader first sees it (a full-page capture stretches the
    window, which cuts the theme's sticky sidebars short)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name.replace(' ', '-')}-{layout}.png")


def background_luminance(page) -> float:
    """The relative luminance (0 black, 1 white) of the page's background."""
    rgb = page.evaluate("getComputedStyle(document.body).backgroundColor")
    channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


# -- Self-contained --------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_a_page_loads_only_from_its_own_host_and_logs_no_error(new_page, base_url, name):
    page, log = new_page(base_url + PAGES[name])
    # Whatever loads late (below the fold, on scroll) loads too.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    settle(page, network_idle=True)
    own_host = urlsplit(base_url).netloc
    elsewhere = [url for url in log.requests if urlsplit(url).scheme != "data" and urlsplit(url).netloc != own_host]
    assert elsewhere == []
    assert log.problems == []


def test_math_renders_in_an_offline_copy_opened_from_disk(new_page, audited_site):
    page, log = new_page((audited_site.html / MATH_POST).as_uri(), offline=True)
    assert page.locator("article math").count() == 3  # two inline, one display
    # Laid out as math: each fraction's numerator sits above its denominator.
    fractions = page.locator(".math-display mfrac")
    assert fractions.count() >= 2
    for index in range(fractions.count()):
        numerator, denominator = (fractions.nth(index).locator(":scope > *").nth(n).bounding_box() for n in (0, 1))
        assert numerator["y"] + numerator["height"] <= denominator["y"] + 1
    assert [url for url in log.requests if not url.startswith(("file:", "data:"))] == []
    assert log.problems == []


# -- Accessible ------------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("layout", ["wide", "phone"])
@pytest.mark.parametrize("name", PAGES)
def test_axe_finds_no_violation(new_page, base_url, axe_source, name, layout, scheme):
    page, _ = new_page(base_url + PAGES[name], color_scheme=scheme, **(PHONE if layout == "phone" else WIDE))
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    assert run_axe(page, axe_source) == []
    screenshot(page, name, scheme if layout == "wide" else f"phone-{scheme}")


# The rings drawn around a control and the two elements around it (the search
# field's ring is its form's): outlines and shadows that are not transparent.
LOOK = """control => [control, control.parentElement, control.parentElement?.parentElement]
  .filter(Boolean)
  .flatMap(element => {
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
      ? [`outline ${style.outlineWidth} ${style.outlineColor}`] : [];
    const shadow = style.boxShadow !== "none" && !/^rgba\\([^)]*,\\s*0\\)[^,]*$/.test(style.boxShadow)
      ? [`shadow ${style.boxShadow}`] : [];
    return [...outline, ...shadow];
  }).join(" | ")"""
# Every control a reader can see and could reach with Tab, numbered, with its
# rings while nothing has the focus.
CONTROLS = f"""() => {{
  const look = {LOOK};
  const controls = [...document.querySelectorAll("a[href], button, input, select, textarea, summary, [tabindex]")]
    .filter(e => e.tabIndex >= 0 && !e.disabled && e.checkVisibility({{visibilityProperty: true}})
      && e.getBoundingClientRect().width > 0);
  window.unfocusedLooks = controls.map(look);
  controls.forEach((control, index) => {{ control.dataset.control = index; }});
  return controls.map(control => control.outerHTML.slice(0, 120));
}}"""
# The focused element: is it on screen, with a ring it has only when focused?
FOCUSED = f"""() => {{
  const look = {LOOK};
  const element = document.activeElement;
  const box = element.getBoundingClientRect();
  return {{
    element: element === document.body ? null : element.outerHTML.slice(0, 120),
    control: element.dataset.control,
    ring: element.dataset.control !== undefined && look(element) !== ""
      && look(element) !== window.unfocusedLooks[element.dataset.control],
    shown: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight
      && box.right > 0 && box.left < innerWidth && element.checkVisibility({{visibilityProperty: true}}),
  }};
}}"""


@pytest.mark.parametrize("layout", ["wide", "phone"])
@pytest.mark.parametrize("name", PAGES)
def test_the_keyboard_reaches_every_control_and_shows_where_it_is(new_page, base_url, name, layout):
    page, _ = new_page(base_url + PAGES[name], **(PHONE if layout == "phone" else WIDE))
    # From the top of the page, wherever the page put the focus.
    page.evaluate("document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute('tabindex')")
    controls = page.evaluate(CONTROLS)
    reached, unseen = set(), []
    for _ in range(2 * len(controls) + 10):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["element"] is None:
            break
        if not (focused["ring"] and focused["shown"]):
            # The skip link slides into view, and a focused element may scroll
            # into it: look again once they have.
            page.wait_for_timeout(500)
            focused = page.evaluate(FOCUSED)
        if not (focused["ring"] and focused["shown"]):
            unseen.append(focused["element"])
        reached.add(focused["control"])
    else:
        pytest.fail("Tab never left the page")
    assert unseen == []
    assert [control for index, control in enumerate(controls) if str(index) not in reached] == []


@pytest.mark.parametrize("name", PAGES)
def test_the_skip_link_comes_first_and_leads_to_the_content(new_page, base_url, name):
    page, _ = new_page(base_url + PAGES[name])
    if page.evaluate("document.activeElement !== document.body"):
        # The search page puts the reader in its field, in the content already.
        assert page.evaluate("document.activeElement.closest('#main-content') !== null")
        return
    page.keyboard.press("Tab")
    assert page.locator(".skip-link a").evaluate("a => a === document.activeElement")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#main-content') !== null")


def tab_to(page, selector: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    pytest.fail(f"Tab never reached {selector}")


def test_the_colour_mode_menu_works_from_the_keyboard(new_page, base_url):
    page, _ = new_page(base_url + MATH_POST, color_scheme="light")
    tab_to(page, ".theme-switch-button")
    page.keyboard.press("Enter")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
        if page.evaluate("document.activeElement.dataset.mode") == "dark":
            break
    page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"


def test_the_phone_navigation_works_from_the_keyboard(new_page, base_url):
    page, _ = new_page(base_url + MATH_POST, **PHONE)
    tab_to(page, ".primary-toggle")
    page.keyboard.press("Enter")
    sidebar = page.locator("#pst-primary-sidebar-modal")
    assert sidebar.evaluate("dialog => dialog.open")
    page.keyboard.press("Escape")
    assert not sidebar.evaluate("dialog => dialog.open")
    page.keyboard.press("Enter")
    link = sidebar.get_by_role("link", name="论文索引")
    for _ in range(10):
        if link.evaluate("a => a === document.activeElement"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/papers.html")


# -- Dark mode -------------------------------------------------------------------


@pytest.mark.parametrize("theme_script", ["loaded", "not run yet"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_colours_follow_the_system_setting_from_the_first_paint(new_page, base_url, scheme, theme_script):
    # The theme's script comes last; until it runs, the page must already
    # have the system's colours.
    blocked = "**/scripts/pydata-sphinx-theme.js*" if theme_script == "not run yet" else None
    page, _ = new_page(base_url + PAGE_TYPES["home"], blocked=blocked, color_scheme=scheme)
    assert page.evaluate("document.documentElement.dataset.mode") == "auto"
    assert page.evaluate("document.documentElement.dataset.theme") == scheme
    assert (background_luminance(page) < 0.05) == (scheme == "dark")


def test_dark_mode_switched_with_the_button_stays_after_a_reload_and_on_other_pages(new_page, base_url):
    page, log = new_page(base_url + MATH_POST, color_scheme="light")
    assert background_luminance(page) > 0.9
    page.get_by_role("button", name="颜色模式").click()
    page.get_by_role("button", name="暗色").click()
    assert page.evaluate("[document.documentElement.dataset.mode, localStorage.getItem('mode')]") == ["dark", "dark"]
    assert background_luminance(page) < 0.05
    page.reload()
    settle(page)
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert background_luminance(page) < 0.05
    page.goto(base_url + PAGE_TYPES["tag page"])
    assert background_luminance(page) < 0.05
    # Back to the system's setting, which is light here.
    page.get_by_role("button", name="颜色模式").click()
    page.get_by_role("button", name="跟随系统").click()
    assert page.evaluate("document.documentElement.dataset.theme") == "light"
    assert background_luminance(page) > 0.9
    assert log.problems == []


# -- Phone layout and the column -------------------------------------------------

OVERFLOWING = """() => {
  const content = document.querySelector("article.bd-article, .bd-search-container");
  const column = content.getBoundingClientRect();
  const blocks = content.querySelectorAll(".math-display, pre, table, img");
  return [...blocks].flatMap(block => {
    const box = block.getBoundingClientRect();
    const scrolls = ["auto", "scroll"].includes(getComputedStyle(block).overflowX);
    const problems = [];
    if (box.left < column.left - 1 || box.right > column.right + 1) problems.push("wider than the column");
    if (block.scrollWidth > block.clientWidth + 1 && !scrolls) problems.push("cut off");
    return problems.map(problem => `${block.outerHTML.slice(0, 80)}: ${problem}`);
  });
}"""


@pytest.mark.parametrize("layout", ["wide", "phone"])
@pytest.mark.parametrize("name", PAGES)
def test_nothing_is_wider_than_the_screen_and_math_and_code_fit_the_column(new_page, base_url, name, layout):
    page, _ = new_page(base_url + PAGES[name], **(PHONE if layout == "phone" else WIDE))
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The check above would miss content that a page clips instead of scrolling.
    assert page.evaluate("[getComputedStyle(document.documentElement).overflowX, getComputedStyle(document.body).overflowX]") == ["visible", "visible"]
    assert page.evaluate(OVERFLOWING) == []


def test_a_formula_wider_than_a_phone_scrolls_inside_the_column_from_the_keyboard(new_page, base_url):
    """The sample formula is wider than a phone (so the check above is not vacuous)."""
    page, _ = new_page(base_url + MATH_POST, **PHONE)
    formula = page.locator(".math-display").first
    assert formula.evaluate("block => block.scrollWidth > block.clientWidth")
    tab_to(page, ".math-display")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("block => block.scrollLeft > 0", arg=formula.element_handle())


def test_the_phone_navigation_opens_and_leads_to_a_page(new_page, base_url):
    page, _ = new_page(base_url + PAGE_TYPES["home"], **PHONE)
    assert not page.locator("#pst-primary-sidebar-modal").is_visible()
    page.locator(".primary-toggle:visible").first.tap()
    sidebar = page.locator("#pst-primary-sidebar-modal")
    assert sidebar.is_visible()
    assert sidebar.get_by_role("link", name="RLHF").is_visible()
    sidebar.get_by_role("link", name="RLHF").tap()
    page.wait_for_url("**/blog/tag/rlhf.html")
    assert page.locator("article h1").inner_text().endswith("RLHF")


# -- Fonts and languages ---------------------------------------------------------


def fonts_of(page, selector: str) -> dict[str, int]:
    """The fonts the browser drew the text of ``selector`` with, and how many glyphs each."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {font["familyName"]: font["glyphCount"] for font in fonts}


@pytest.mark.parametrize("name", PAGES)
def test_chinese_is_drawn_with_the_simplified_chinese_font(new_page, base_url, name):
    page, _ = new_page(base_url + PAGES[name])
    # The site title in the sidebar, the page's heading, the footer: Chinese
    # on every page type, the English post's chrome included.
    for selector in (".logo__title", "article h1, .bd-search-container h1", ".footer-feed a"):
        text = page.locator(selector).first.inner_text()
        han = len(HAN.findall(text))
        if han:
            assert fonts_of(page, selector).get(CJK_FONT, 0) >= han, (selector, text)


def test_english_posts_say_they_are_in_english(audited_site, new_page, base_url):
    for post in audited_site.posts:
        assert audited_site.page(post.html_path).html["lang"] == ("en" if post.language == "en" else "zh-CN"), post.docname
    assert any(post.language == "en" for post in audited_site.posts)
    page, _ = new_page(base_url + ENGLISH_POST)
    assert page.evaluate("document.documentElement.lang") == "en"

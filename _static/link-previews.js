/* Previews of what a link leads to, built with the page
 * (_extensions/paper_notes/browsing/previews.py): another note's title, date
 * and opening words; a cited paper's title, authors, venue and year; a
 * footnote's text. One tooltip, shown while a link is hovered with a mouse or
 * pen, or focused with the keyboard; Escape hides it; the link names it as
 * its description (aria-describedby), so screen readers read it too. A tap on
 * a touch screen follows the link as before, without a preview.
 */
"use strict";

(() => {
  const source = document.getElementById("link-previews");
  const data = source ? JSON.parse(source.textContent) : {};
  const notes = data.notes || {};
  const papers = data.papers || {};
  const root = new URL(document.documentElement.dataset.content_root || "./", window.location.href);
  const tip = document.createElement("div");
  tip.id = "link-preview";
  tip.className = "link-preview";
  tip.setAttribute("role", "tooltip");
  tip.hidden = true;
  // Inside the main landmark, beside the content it describes.
  (document.querySelector("main") || document.body).append(tip);
  let shownFor = null;
  let hideTimer = 0;
  let lastPointer = "mouse";

  const line = (className, text) => {
    const span = document.createElement("span");
    span.className = className;
    span.textContent = text;
    return span;
  };

  /* The preview's lines for a link, or null when it leads nowhere previewable. */
  const preview = (link) => {
    const href = link.getAttribute("href") || "";
    if (link.classList.contains("footnote-reference") && href.startsWith("#")) {
      const footnote = document.getElementById(decodeURIComponent(href.slice(1)));
      if (!footnote) return null;
      const copy = footnote.cloneNode(true);
      copy.querySelectorAll(".label, .backrefs").forEach((part) => part.remove());
      return [line("link-preview-text", copy.textContent.trim())];
    }
    if (href.startsWith("#") && papers[href.slice(1)]) {
      const paper = papers[href.slice(1)];
      const where = [paper.venue, paper.year].filter(Boolean).join(", ");
      return [
        line("link-preview-title", paper.title),
        line("link-preview-meta", paper.authors),
        line("link-preview-meta", where),
      ];
    }
    const url = new URL(href, window.location.href);
    if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) return null;
    const note = notes[decodeURIComponent(url.pathname.slice(root.pathname.length))];
    if (!note) return null;
    return [line("link-preview-title", note.title), line("link-preview-meta", note.date), line("link-preview-text", note.text)];
  };

  const place = (link) => {
    const box = link.getBoundingClientRect();
    const width = tip.offsetWidth;
    const left = Math.min(Math.max(8, box.left), document.documentElement.clientWidth - width - 8);
    const below = box.bottom + 6;
    const top = below + tip.offsetHeight > window.innerHeight && box.top > tip.offsetHeight + 6
      ? box.top - tip.offsetHeight - 6
      : below;
    // Absolute in whatever box holds the tooltip.
    const origin = (tip.offsetParent || document.body).getBoundingClientRect();
    tip.style.left = `${left - origin.left}px`;
    tip.style.top = `${top - origin.top}px`;
  };

  const show = (link) => {
    clearTimeout(hideTimer);
    if (shownFor === link) return;
    hide();
    const lines = preview(link);
    if (!lines) return;
    tip.replaceChildren(...lines);
    tip.hidden = false;
    place(link);
    link.setAttribute("aria-describedby", tip.id);
    shownFor = link;
  };

  const hide = () => {
    clearTimeout(hideTimer);
    tip.hidden = true;
    shownFor?.removeAttribute("aria-describedby");
    shownFor = null;
  };

  const hideSoon = () => {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 200);
  };

  const links = document.querySelectorAll("article.bd-article a[href]");
  for (const link of links) {
    if (!preview(link)) continue;
    // The preview says what the native tooltip would, and more.
    link.removeAttribute("title");
    link.addEventListener("pointerenter", (event) => {
      if (event.pointerType !== "touch") show(link);
    });
    link.addEventListener("pointerleave", hideSoon);
    link.addEventListener("focus", () => {
      if (lastPointer !== "touch") show(link);
    });
    link.addEventListener("blur", hide);
  }
  // The pointer may move onto the preview, to read or select it.
  tip.addEventListener("pointerenter", () => clearTimeout(hideTimer));
  tip.addEventListener("pointerleave", hideSoon);
  document.addEventListener("pointerdown", (event) => { lastPointer = event.pointerType; }, true);
  document.addEventListener("keydown", (event) => {
    lastPointer = "keyboard";
    if (event.key === "Escape" && shownFor) hide();
  });
  window.addEventListener("resize", hide);
})();

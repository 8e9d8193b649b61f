/* Search the posts with Pagefind as the reader types: in the header's search
 * dialog (its button or Ctrl+K) and on search.html, which also shows the
 * results for search.html?q=<query>. The Pagefind index (built by
 * _extensions/post_search.py) is fetched only once the reader types.
 */
"use strict";

(() => {
  const PAGE_SIZE = 10;
  const root = new URL(document.documentElement.dataset.content_root || "./", window.location.href);
  let pagefind = null;

  const loadPagefind = () => {
    pagefind ??= import(new URL("pagefind/pagefind.js", root).href).then(async (module) => {
      // Result URLs start from the site's root, wherever the site is served.
      await module.options({ baseUrl: root.pathname, excerptLength: 36 });
      return module;
    });
    return pagefind;
  };

  /* Pagefind falls back to the longest indexed prefix of a word it does not
   * know and drops such words from the query (Pagefind/pagefind#599, #793), so
   * "Markdown" would list pages with "ma". A post is a match only if its
   * text contains every word of the query. */
  const queryTerms = (query) =>
    query.toLowerCase().replace(/["“”]/g, " ").split(/\s+/).filter(Boolean);
  const containsAll = (data, terms) => {
    const text = `${data.meta.title || ""} ${data.content}`.toLowerCase();
    return terms.every((term) => text.includes(term));
  };

  /* The section of the post that holds most of the matches, if it is one. */
  const bestSection = (data) => {
    const sections = (data.sub_results || []).filter((sub) => sub.anchor && sub.anchor.element !== "h1");
    const best = [...(data.sub_results || [])].sort((a, b) => b.locations.length - a.locations.length)[0];
    return sections.includes(best) ? best : null;
  };

  const element = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  const resultItem = (data) => {
    const section = bestSection(data);
    const item = element("li", "post-search-result");
    const link = element("a", "post-search-result__title", data.meta.title || data.url);
    link.href = section ? section.url : data.url;
    item.append(link);
    if (section) item.append(element("span", "post-search-result__section", section.title));
    const excerpt = element("p", "post-search-result__excerpt");
    // Pagefind's excerpt is the post's escaped text with the matches in <mark>.
    excerpt.innerHTML = (section || data).excerpt;
    item.append(excerpt);
    return item;
  };

  class SearchBox {
    constructor(input, container) {
      this.input = input;
      this.container = container;
      this.run = 0;
      input.addEventListener("input", () => this.search(input.value));
    }

    async search(query) {
      const run = ++this.run;
      const terms = queryTerms(query);
      if (!terms.length) {
        this.container.replaceChildren();
        this.container.classList.remove("post-search-results--done");
        return;
      }
      const module = await loadPagefind();
      const found = await module.search(query);
      if (run !== this.run) return;
      const pending = [...found.results];
      const first = await this.take(pending, terms);
      if (run !== this.run) return;
      // When Pagefind's whole first page holds the query, so do the rest.
      const total = first.every((data) => data !== null) ? found.results.length : first.filter(Boolean).length;
      this.show(query, first.filter(Boolean), total, pending, terms, run);
    }

    async take(pending, terms) {
      const batch = pending.splice(0, PAGE_SIZE);
      const data = await Promise.all(batch.map((result) => result.data()));
      return data.map((item) => (containsAll(item, terms) ? item : null));
    }

    show(query, matches, total, pending, terms, run) {
      const status = element("p", "post-search-results__status");
      const list = element("ol", "post-search-results__list");
      if (!matches.length) {
        status.textContent = `没有找到包含“${query.trim()}”的笔记。`;
      } else {
        status.textContent = `找到 ${total} 篇笔记`;
        list.append(...matches.map(resultItem));
      }
      this.container.replaceChildren(status, list);
      if (matches.length && total > matches.length && pending.length) {
        const more = element("button", "btn post-search-results__more", "更多结果");
        more.type = "button";
        more.addEventListener("click", async () => {
          const next = (await this.take(pending, terms)).filter(Boolean);
          if (run !== this.run) return;
          list.append(...next.map(resultItem));
          if (!pending.length) more.remove();
        });
        this.container.append(more);
      }
      this.container.classList.add("post-search-results--done");
    }
  }

  const setUp = () => {
    const dialog = document.getElementById("pst-search-dialog");
    const dialogInput = dialog && dialog.querySelector("input[name=q]");
    if (dialogInput) {
      const results = element("div", "post-search-results");
      results.setAttribute("aria-live", "polite");
      dialog.append(results);
      new SearchBox(dialogInput, results);
    }

    const pageResults = document.getElementById("search-results");
    const pageInput = document.querySelector(".bd-search-container form.bd-search input[name=q]");
    if (pageResults && pageInput) {
      const box = new SearchBox(pageInput, pageResults);
      // Keep the address equal to the query shown, for bookmarks and sharing.
      pageInput.addEventListener("input", () => {
        const url = new URL(window.location.href);
        url.searchParams.set("q", pageInput.value);
        window.history.replaceState(null, "", url);
      });
      const query = new URLSearchParams(window.location.search).get("q") || "";
      pageInput.value = query;
      pageInput.focus();
      box.search(query);
    }
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();

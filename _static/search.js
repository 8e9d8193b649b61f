/* Search the posts with Pagefind as the reader types: in the header's search
 * dialog (its button or Ctrl+K) and on search.html, which also shows the
 * results for search.html?q=<query>. Pagefind and its index (built by
 * _extensions/paper_notes/search/pagefind.py) are fetched only once the reader opens the
 * search, and the index only in the chunks that the query needs.
 */
"use strict";

(() => {
  const PAGE_SIZE = 10;
  const root = new URL(document.documentElement.dataset.content_root || "./", window.location.href);
  let pagefind = null;

  /* The index is one or more Pagefind bundles of posts, newest first: the
   * newest one's code searches them all. */
  const loadPagefind = () => {
    pagefind ??= fetch(new URL("pagefind/shards.json", root)).then(async (response) => {
      const [newest, ...older] = (await response.json()).bundles.map((bundle) => new URL(`pagefind/${bundle}`, root));
      const module = await import(new URL("pagefind.js", newest).href);
      // Result URLs start from the site's root, wherever the site is served.
      const options = { baseUrl: root.pathname };
      await module.options({ ...options, excerptLength: 36 });
      await Promise.all(older.map((bundle) => module.mergeIndex(bundle.href, options)));
      return module;
    });
    return pagefind;
  };

  /* The notes are indexed in Simplified characters; a query typed in
   * Traditional ones (or mixed) is searched, checked and highlighted in
   * Simplified ones (_static/search-scripts.js, which fetches OpenCC's tables
   * only for a query that needs them). Without them the query is searched
   * as typed. */
  let scripts = null;
  const loadScripts = () => {
    scripts ??= import(new URL("_static/search-scripts.js", root).href);
    return scripts;
  };
  const simplified = (query) =>
    loadScripts()
      .then((module) => module.toSimplified(query))
      .catch(() => query);

  /* A post matches when its text contains every word of the query. Pagefind
   * alone is looser: it splits a Chinese word such as 大语言模型 into 大, 语言
   * and 模型, which may then stand anywhere in the post, and replaces a word
   * it does not know by its longest indexed prefix, or drops it from the
   * query (Pagefind/pagefind#599, #793: "Markdown" lists pages with "ma").
   * So each word is searched on its own, a Chinese one as a phrase (its parts
   * side by side); when the phrase finds nothing (the browser may split a
   * word that the index keeps whole, such as 哈利波特) the word is searched
   * loosely. Only the posts found for every word are kept, and a post whose
   * text lacks a word is dropped when its data is loaded. */
  const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]/;
  const queryTerms = (query) =>
    query.toLowerCase().replace(/["“”]/g, " ").split(/\s+/).filter(Boolean);
  const containsAll = (data, terms) => {
    const text = `${data.meta.title || ""} ${data.content}`.toLowerCase();
    return terms.every((term) => text.includes(term));
  };
  const searchTerm = async (module, term) => {
    if (CJK.test(term)) {
      const phrase = await module.search(`"${term}"`);
      if (phrase.results.length) return phrase;
    }
    return module.search(term);
  };
  const findAll = async (module, terms) => {
    const [whole, ...searches] = await Promise.all([
      // Pagefind's own search of the whole query ranks titles first and marks
      // every word in its excerpts: it orders the posts found.
      module.search(terms.join(" ")),
      ...terms.map((term) => searchTerm(module, term)),
    ]);
    let kept = new Map(searches[0].results.map((result) => [result.id, result]));
    for (const search of searches.slice(1)) {
      const found = new Set(search.results.map((result) => result.id));
      kept = new Map([...kept].filter(([id]) => found.has(id)));
    }
    // A one-word query shows its own search's excerpt: the phrase marked whole.
    const shown = (result) => (terms.length === 1 ? kept.get(result.id) : result);
    const ranked = whole.results.filter((result) => kept.has(result.id)).map(shown);
    ranked.forEach((result) => kept.delete(result.id));
    return [...ranked, ...kept.values()];
  };

  /* The section of the post that holds most of the matches, if it holds at
   * least as many as the top of the post (title, tags and opening text). */
  const bestSection = (data) => {
    const isSection = (sub) => Boolean(sub.anchor && sub.anchor.element !== "h1");
    const ranked = [...(data.sub_results || [])].sort(
      (a, b) => b.locations.length - a.locations.length || isSection(b) - isSection(a),
    );
    return ranked.length && isSection(ranked[0]) ? ranked[0] : null;
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
      this.container = container;
      this.run = 0;
      // Opening the search (its dialog or page) starts loading Pagefind, so
      // that the first results do not wait for it.
      input.addEventListener(
        "focus",
        () => {
          loadPagefind().then((module) => module.init());
          loadScripts().then((module) => module.prepare()).catch(() => {});
        },
        { once: true },
      );
      input.addEventListener("input", () => this.search(input.value));
    }

    async search(query) {
      const run = ++this.run;
      if (!queryTerms(query).length) {
        this.container.replaceChildren();
        this.container.classList.remove("post-search-results--done");
        delete this.container.dataset.query;
        return;
      }
      const [module, terms] = await Promise.all([loadPagefind(), simplified(query).then(queryTerms)]);
      if (run !== this.run) return;
      const found = await findAll(module, terms);
      if (run !== this.run) return;
      const pending = [...found];
      let matches = await this.take(pending, terms);
      if (run !== this.run) return;
      // Pagefind's stand-in for an unknown word fails for every post it lists,
      // and a phrase search lists only posts that hold the phrase: when the
      // first posts all hold the query, so do the rest. A loose search lists
      // some that do not: then every post it lists is checked.
      let total = found.length;
      if (matches.length < Math.min(PAGE_SIZE, found.length) && matches.length) {
        while (pending.length) matches.push(...(await this.take(pending, terms)));
        if (run !== this.run) return;
        total = matches.length;
      }
      this.show(query, matches, total, pending, terms, run);
    }

    async take(pending, terms) {
      const batch = pending.splice(0, PAGE_SIZE);
      const data = await Promise.all(batch.map((result) => result.data()));
      return data.filter((item) => containsAll(item, terms));
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
          const next = await this.take(pending, terms);
          if (run !== this.run) return;
          list.append(...next.map(resultItem));
          if (!pending.length) more.remove();
        });
        this.container.append(more);
      }
      this.container.classList.add("post-search-results--done");
      this.container.dataset.query = query;
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

/*
 * The site's search: the box in the header (overrides/partials/kb-search.html), the query as a
 * Persian reader types it, the results, and the words found highlighted on the page opened.
 *
 * What it reads was written by build_kb (kb/search/): search/config.json holds the folding
 * table (the one the index was folded with), the interface words and where the rest is;
 * search/lexicon/<shard>.json the names and spellings the query needs; search/pagefind/ the
 * index, fetched a fragment at a time (Pagefind). The offline copy, read from disk where a page
 * can fetch nothing, has all of it in search/offline.js, searched with MiniSearch.
 *
 * A query is
 * 1. folded: Arabic letter forms to Persian, no diacritics or tatweel, Latin digits;
 * 2. spelled as the site spells it: a word typed without its zero-width non-joiner gets it back
 *    (همافزایی -> هم‌افزایی), and two words typed with a space instead (هم افزایی) are
 *    searched as the one word;
 * 3. searched on every input event (typing, pasting, a phone keyboard or an IME committing text);
 * 4. answered with the pages that contain every word of it (as the beginning of a word), a
 *    concept first when the query is one of its names.
 * Results are built as elements with their text set as text: nothing from the index becomes markup.
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-kb-search]");
  var config = JSON.parse(document.getElementById("__config").textContent);
  var site = new URL(config.base.replace(/\/?$/, "/"), location.href);  // this language's site root
  var offline = window.__kbSearch || null;
  var settings = null, letters = {}, lettered = null, marks = null, breaks = null, splitter = null, joiners = null;

  function loadSettings() {
    if (loadSettings.promise) return loadSettings.promise;
    var loading = offline ? Promise.resolve(offline.config)
      : fetch(new URL("search/config.json", site)).then(function (r) { return r.json(); });
    loadSettings.promise = loading.then(function (data) {
      settings = data;
      letters = data.folding.letters;
      lettered = new RegExp("[" + Object.keys(letters).join("").replace(/[\\\]^-]/g, "\\$&") + "]", "gu");
      marks = new RegExp("[" + data.folding.marks + "]", "g");
      breaks = new RegExp("[" + data.folding.breaks + data.folding.joiners + "]+", "g");
      splitter = new RegExp("[" + data.folding.breaks + "]+");
      joiners = new RegExp("[" + data.folding.joiners + "]", "g");
      return data;
    });
    return loadSettings.promise;
  }

  // --- the one folding table (kb/text/folding.py) -------------------------------------------
  function fold(text) {
    return text.normalize("NFC").replace(lettered, function (ch) { return letters[ch]; }).replace(marks, "");
  }
  function words(text) { return text.split(splitter).filter(Boolean); }
  // The index has Latin digits (as the folded query does); a Persian page shows Persian digits
  // except inside runs of Latin script, and so do its results.
  function shownDigits(text) {
    if (document.documentElement.lang !== "fa") return text;
    var runs = new RegExp(settings.folding.latin_run, "g"), out = "", last = 0, run;
    var persian = localDigits;
    while ((run = runs.exec(text))) {
      out += persian(text.slice(last, run.index)) + run[0];
      last = run.index + run[0].length;
    }
    return out + persian(text.slice(last));
  }
  function bare(word) { return fold(word).replace(joiners, "").toLowerCase(); }
  function joined(word) { return word.replace(joiners, ""); }
  function localDigits(text) { return text.replace(/[0-9]/g, function (d) { return settings.digits[Number(d)]; }); }
  function nameKey(text) { return fold(text).replace(breaks, "").toLowerCase(); }

  // --- the lexicon, a shard at a time ---------------------------------------------------------
  var shards = {};
  function shardName(key) {
    return Array.from(key).slice(0, settings.lexicon.prefix)
      .map(function (c) { return c.codePointAt(0).toString(16).padStart(4, "0"); }).join("-");
  }
  function lexiconFor(keys) {
    if (offline) return Promise.resolve(offline.lexicon);
    var names = {}, spellings = {};
    var wanted = Array.from(new Set(keys.filter(Boolean).map(shardName))).filter(function (name) {
      return settings.lexicon.shards.indexOf(name) >= 0;  // the shards that exist
    });
    return Promise.all(wanted.map(function (name) {
      if (!shards[name]) {
        shards[name] = fetch(new URL(settings.lexicon.folder + name + ".json", site))
          .then(function (r) { return r.ok ? r.json() : {}; }).catch(function () { return {}; });
      }
      return shards[name];
    })).then(function (found) {
      found.forEach(function (shard) {
        Object.assign(names, shard.names || {});
        Object.assign(spellings, shard.spellings || {});
      });
      return { names: names, spellings: spellings };
    });
  }

  // The query as the site spells it: for the box (each word typed without its non-joiner gets
  // it back) and for the engine (two words typed for one are joined, too).
  function spell(query, lexicon) {
    var parts = words(query), shown = [], searched = [];
    for (var i = 0; i < parts.length; i++) {
      var word = parts[i], whole = joined(word);
      var pair = i + 1 < parts.length ? whole + joined(parts[i + 1]) : null;
      if (pair && lexicon.spellings[pair]) {  // «هم افزایی» for «هم‌افزایی»
        searched.push(lexicon.spellings[pair]);
        shown.push(word, parts[i + 1]);
        i++;
      } else {
        var spelled = whole === word && lexicon.spellings[whole] ? lexicon.spellings[whole] : word;
        shown.push(spelled);
        searched.push(spelled);
      }
    }
    return { shown: shown, searched: searched };
  }

  // --- engines ----------------------------------------------------------------------------------
  // Each is a function(query) answering {head, all}: promises of the first FIRST pages and of up
  // to 20, each page {url, title, names, sections: [[anchor, heading, text], ...]}, best first.
  // The head is shown as soon as it is there; the rest follows.
  var FIRST = 1, MOST = 20;
  var engine = null;
  function getEngine() {
    if (engine) return engine;
    engine = offline ? Promise.resolve(miniSearchEngine()) : pagefindEngine();
    return engine;
  }

  // Pagefind fetches its files one after another: its script, then its entry file, then the meta
  // and wasm files the entry names, then an index chunk. All but the chunk are asked for at once
  // here (the build wrote their names, settings.pagefind.preload); Pagefind's own requests take
  // them over as they come.
  function pagefindEngine() {
    var start = settings.pagefind;
    start.preload.forEach(function (path) {
      var link = element("link");
      link.rel = "preload";
      link.as = "fetch";
      link.crossOrigin = "anonymous";  // as fetch() asks for it: the request Pagefind makes matches
      link.href = new URL(path, site).href;
      document.head.append(link);
    });
    return import(new URL(start.script, site).href).then(function (pagefind) {
      // noWorker: the main thread runs the search, which spares the worker script and the round
      // trip for it before the first query (a worker fetches for itself: nothing preloaded here
      // would reach it). metaCacheTag: the entry's address names this build (the preload above)
      return pagefind.options({ baseUrl: site.pathname, noWorker: true, metaCacheTag: start.tag,
                                ranking: { metaWeights: { names: settings.names_weight } } })
        .then(function () {
          // its wasm and the index's entry and meta, before the first query (a failure shows when
          // that query fails)
          Promise.resolve(pagefind.init()).catch(function () {});
          var search = function (query) {
            return pagefind.search(query).then(function (found) {
              // every fragment is asked for at once, the best first; the head does not wait for the rest
              var pages = found.results.slice(0, MOST).map(function (r) { return r.data().then(fromPagefind); });
              return { head: Promise.all(pages.slice(0, FIRST)), all: Promise.all(pages) };
            });
          };
          search.preload = function (query) {  // the index chunks, while typing (not for a letter alone: many words begin with it)
            return Array.from(query.trim()).length > 1 ? pagefind.preload(query) : Promise.resolve();
          };
          return search;
        });
    });
  }

  function fromPagefind(data) {
    // The page's words, cut where its headings (anchors) begin: the sections of the page.
    var all = data.content.split(/\s+/), anchors = (data.anchors || []).filter(function (a) { return a.id; });
    var sections = [], anchor = "", heading = data.meta.title;
    var start = data.meta.title.trim().split(/\s+/).length;  // the page's own title comes first: not a snippet
    anchors.forEach(function (next) {
      sections.push([anchor, heading, all.slice(start, next.location).join(" ")]);
      anchor = next.id; heading = next.text; start = next.location + next.text.split(/\s+/).length;
    });
    sections.push([anchor, heading, all.slice(start).join(" ")]);
    return { url: new URL(data.url, location.href).href, title: data.meta.title, names: data.meta.names || "",
             sections: sections };
  }

  function miniSearchEngine() {
    var index = new window.MiniSearch({
      fields: ["names", "title", "text"], storeFields: [],
      tokenize: function (text) { return words(text); },
      processTerm: function (term) { return bare(term) || null; },
      searchOptions: { prefix: true, combineWith: "AND", boost: { names: settings.names_weight, title: 5 } }
    });
    var documents = offline.documents;
    index.addAll(documents.map(function (d, i) {
      return { id: i, names: d.names, title: d.title, text: d.sections.map(function (s) { return s[1] + " " + s[2]; }).join(" ") };
    }));
    return function (query) {
      var pages = index.search(query).slice(0, MOST).map(function (hit) {
        var d = documents[hit.id];
        return { url: new URL(d.url, site).href, title: d.title, names: d.names, sections: d.sections };
      });
      return Promise.resolve({ head: Promise.resolve(pages.slice(0, FIRST)), all: Promise.resolve(pages) });
    };
  }

  // --- matching, shared by both engines and by the highlight on the page -------------------
  function matches(term, word) {
    if (word.startsWith(term)) return true;
    if (!/^[a-z]/.test(term)) return false;  // English is stemmed: twinning finds twinned
    var common = 0;
    while (common < term.length && term[common] === word[common]) common++;
    return common >= 4 && common * 2 >= term.length;
  }
  function hasEvery(terms, text) {
    var found = words(text).map(bare);
    return terms.every(function (t) { return found.some(function (w) { return matches(t, w); }); });
  }

  // --- the box and its results ---------------------------------------------------------------
  if (!root) { highlightPage(); return; }
  var input = root.querySelector("[data-kb-search-query]");
  var result = root.querySelector("[data-kb-search-result]");
  var meta = result.querySelector(".md-search-result__meta");
  var list = result.querySelector(".md-search-result__list");
  var toggle = document.getElementById("__search");
  var asked = 0;

  function label(key, count) {
    var text = settings.labels[key];
    if (count === undefined) return text;
    return text.replace("{count}", localDigits(String(count)));
  }

  function show(state, text) {
    result.setAttribute("data-kb-search-state", state);
    meta.textContent = text;
  }

  loadSettings().then(function () {
    input.placeholder = label("search_placeholder");
    input.setAttribute("aria-label", label("search"));
    root.setAttribute("aria-label", label("search"));
    root.querySelector("[data-kb-search-reset]").setAttribute("aria-label", label("search_close"));
    // no title: Material's tooltips would insert it as HTML
    root.hidden = false;
    document.querySelectorAll("[data-kb-search-button]").forEach(function (b) { b.hidden = false; });
    show("ready", label("search_ready"));
    highlightPage();
  });

  function open() { if (toggle) toggle.checked = true; }
  function close() {
    if (toggle) toggle.checked = false;
    input.blur();
  }

  function run() {
    var typed = input.value, folded = fold(typed), ticket = ++asked;
    if (folded !== typed) setValue(folded);
    if (!folded.trim()) {
      clearList();
      show("ready", label("search_ready"));
      return;
    }
    show("searching", meta.textContent);
    var parts = words(folded), keys = [nameKey(folded)];
    parts.forEach(function (w, i) {  // each word, and each pair typed for one word
      keys.push(joined(w).toLowerCase());
      if (i + 1 < parts.length) keys.push(joined(w + parts[i + 1]).toLowerCase());
    });
    Promise.all([lexiconFor(keys), getEngine()]).then(function (both) {
      var lexicon = both[0], search = both[1];
      if (ticket !== asked) return;
      var spelled = spell(folded, lexicon);
      if (spelled.shown.join(" ") !== parts.join(" ") && input.value === folded) setValue(spelled.shown.join(" "));
      var terms = spelled.searched.map(bare).filter(Boolean);
      var named = lexicon.names[nameKey(folded)];
      function ordered(pages) {
        pages = pages.filter(function (p) {
          return hasEvery(terms, p.title + " " + p.names + " " + p.sections.map(function (s) { return s[1] + " " + s[2]; }).join(" "))
            || (named && sameUrl(p.url, named.url));
        });
        if (named) {
          var first = pages.filter(function (p) { return sameUrl(p.url, named.url); })[0]
            || { url: new URL(named.url, site).href, title: named.title, names: "", sections: [] };
          pages = [first].concat(pages.filter(function (p) { return p !== first; }));
        }
        return pages;
      }
      return search(spelled.searched.join(" ")).then(function (answer) {
        answer.head.then(function (pages) {
          if (ticket === asked && result.getAttribute("data-kb-search-state") === "searching") render(ordered(pages), terms, false);
        }, function () {});  // a failure shows when the whole answer fails
        return answer.all;
      }).then(function (pages) {
        if (ticket === asked) render(ordered(pages), terms, true);
      });
    }).catch(function (error) {
      if (ticket === asked) show("failed", String(error));
    });
  }

  function sameUrl(a, b) {
    return new URL(a, site).pathname === new URL(b, site).pathname;
  }

  function setValue(value) {
    var end = input.selectionStart === input.value.length;
    input.value = value;
    if (end) input.setSelectionRange(value.length, value.length);
  }

  // final: the whole answer (its count is shown, and the state says done); else its head
  var listed = { query: null, urls: [] };  // what the list shows: for which query, which pages
  function clearList() {
    list.textContent = "";
    listed = { query: null, urls: [] };
  }
  function render(pages, terms, final) {
    var query = terms.join(" "), urls = pages.map(function (p) { return p.url; });
    var kept = listed.query === query && listed.urls.every(function (url, i) { return urls[i] === url; })
      ? listed.urls.length : 0;  // the whole answer after its head: keep what is there (and the focus)
    if (!kept) clearList();
    listed = { query: query, urls: urls, value: input.value };
    pages.slice(kept).forEach(function (page) {
      var item = element("li", "md-search-result__item");
      var found = page.sections.filter(function (s) { return hasEvery(terms.slice(0, 1), s[1] + " " + s[2]); });
      var lead = found[0] || page.sections[0] || ["", page.title, ""];
      item.append(resultLink(page.url, "", page.title, lead[2], terms, "h1"));
      found.filter(function (s) { return s[0] && s !== lead; }).slice(0, 2).forEach(function (s) {
        item.append(resultLink(page.url, s[0], s[1], s[2], terms, "h2"));
      });
      list.append(item);
    });
    if (!final) return;
    var count = pages.length;
    show("done", count === 0 ? label("search_none") : count === 1 ? label("search_one") : label("search_other", count));
  }

  function resultLink(url, anchor, heading, text, terms, level) {
    var target = new URL(url);
    if (terms.length) target.search = "?h=" + encodeURIComponent(terms.join(" "));
    if (anchor) target.hash = anchor;
    var link = element("a", "md-search-result__link");
    link.href = target.href;
    link.tabIndex = -1;
    var article = element("article", "md-search-result__article md-typeset"
      + (level === "h1" ? " md-search-result__article--document" : ""));
    if (level === "h1") article.append(element("div", "md-search-result__icon md-icon"));
    var title = element(level);
    title.textContent = level === "h1" ? heading : shownDigits(heading);
    article.append(title);
    if (text) article.append(snippet(text, terms));
    link.append(article);
    return link;
  }

  // A few words of a section around the first word the query matches, matched words marked.
  function snippet(text, terms) {
    var all = text.split(/\s+/), at = 0;
    for (var i = 0; i < all.length; i++) {
      if (terms.some(function (t) { return words(all[i]).some(function (w) { return matches(t, bare(w)); }); })) { at = i; break; }
    }
    var from = Math.max(0, at - 8), to = Math.min(all.length, from + 28);
    var indexed = all.slice(from, to), shown = shownDigits(indexed.join(" ")).split(" ");
    var p = element("p");
    if (from > 0) p.append("… ");
    indexed.forEach(function (word, j) {
      if (j) p.append(" ");
      if (terms.some(function (t) { return words(word).some(function (w) { return matches(t, bare(w)); }); })) {
        var mark = element("mark");
        mark.textContent = shown[j];
        p.append(mark);
      } else {
        p.append(shown[j]);
      }
    });
    if (to < all.length) p.append(" …");
    return p;
  }

  function element(tag, className) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    return node;
  }

  var pending = null;
  input.addEventListener("input", function (event) {
    if (event.isComposing) return;
    clearTimeout(pending);
    asked++;  // whatever was on its way answers a query no longer in the box
    result.setAttribute("data-kb-search-state", "searching");
    loadSettings().then(function () {
      pending = setTimeout(run, 60);
      getEngine().then(function (search) {
        if (search.preload && input.value.trim()) return search.preload(fold(input.value));
      }).catch(function () {});  // only a head start: the search itself reports failures
    });
  });
  input.addEventListener("compositionend", function () { loadSettings().then(run); });
  input.addEventListener("focus", function () {
    open();
    loadSettings().then(function () {  // start loading the engine; search what is in the box, unless shown
      getEngine();
      if (input.value && !(listed.value === input.value && result.getAttribute("data-kb-search-state") === "done")) run();
    });
  });
  root.querySelector("form").addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector(".md-search-result__link");
    if (first) location.href = first.href;
  });
  root.querySelector("form").addEventListener("reset", function () {
    setTimeout(function () { clearList(); show("ready", label("search_ready")); close(); });
  });

  // Keyboard: / s f open search; Escape closes it; arrows move through the results; Enter opens one.
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || !settings) return;
    var inField = /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName) || event.target.isContentEditable;
    if (!inField && (event.key === "/" || event.key === "s" || event.key === "f") && !(toggle && toggle.checked)) {
      event.preventDefault();
      open();
      input.focus();
      input.select();
      return;
    }
    if (!(toggle && toggle.checked)) return;
    var links = Array.from(list.querySelectorAll(".md-search-result__link"));
    var at = links.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!links.length) return;
      event.preventDefault();
      var next = event.key === "ArrowDown" ? at + 1 : at - 1;
      if (next < 0) { input.focus(); return; }
      links[Math.min(next, links.length - 1)].focus();
    } else if (event.key === "Enter" && at >= 0) {
      event.preventDefault();
      location.href = links[at].href;
    }
  });

  // --- the words a search found, highlighted on the page it opened --------------------------
  function highlightPage() {
    var asked = new URLSearchParams(location.search).get("h");
    var content = document.querySelector(".md-content article");
    if (!asked || !content || highlightPage.done) return;
    highlightPage.done = true;
    loadSettings().then(function () {
      var terms = asked.split(/\s+/).map(bare).filter(Boolean);
      var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT, {
        acceptNode: function (node) {
          return node.parentElement.closest("script, style, svg, code, pre, mark, .headerlink")
            ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
        }
      });
      var nodes = [];
      while (walker.nextNode()) nodes.push(walker.currentNode);
      nodes.forEach(function (node) {
        var text = node.nodeValue, pattern = new RegExp("[^" + settings.folding.breaks + "]+", "g"), hit, spans = [];
        while ((hit = pattern.exec(text))) {
          if (terms.some(function (t) { return matches(t, bare(hit[0])); })) spans.push([hit.index, hit.index + hit[0].length]);
        }
        for (var i = spans.length - 1; i >= 0; i--) {
          var range = document.createRange();
          range.setStart(node, spans[i][0]);
          range.setEnd(node, spans[i][1]);
          var mark = document.createElement("mark");
          mark.setAttribute("data-kb-highlight", "");
          range.surroundContents(mark);
        }
      });
    });
  }

  window.kbFoldQuery = function (text) { return settings ? fold(text) : text; };  // for the tests and the console
})();

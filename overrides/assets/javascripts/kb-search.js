/*
 * Search queries as a Persian reader types them.
 *
 * 1. Fold the query the way kb/search_index.py folds the index: Arabic letter forms to
 *    Persian (ي ى → ی, ك → ک, ۀ ة → ه, أ إ → ا, ؤ → و), no diacritics or tatweel, and
 *    Persian or Arabic-Indic digits to Latin ones. The zero-width non-joiner is kept: the
 *    search separator splits words at it, on both sides.
 * 2. Material runs a search on `keyup` only, so text that arrives without key events
 *    (pasted with the mouse, inserted by a phone keyboard or an IME) would not be searched.
 *    Every `input` event is re-announced as a `keyup`.
 * 3. A whole word typed without its zero-width non-joiner gets it back (همافزایی → هم‌افزایی)
 *    when the site writes it that way, so it finds exactly what the standard spelling finds.
 * 4. When the query is a concept's title or alias, in either language, that concept's page
 *    goes to the top of the results. Material adds a trailing wildcard to every word, so an
 *    exact title cannot outscore longer words that share its beginning.
 * 3 and 4 use search/kb-search.json, written by hooks/kb_site.py.
 */
(function () {
  "use strict";

  var LETTERS = { "ي": "ی", "ى": "ی", "ك": "ک", "ۀ": "ه", "ة": "ه", "ؤ": "و", "أ": "ا", "إ": "ا", "ٱ": "ا" };
  var MARKS = /[\u064B-\u065F\u0670\u0640]/g;

  function fold(text) {
    return text.normalize("NFC")
      .replace(/[يىكۀةؤأإٱ]/g, function (c) { return LETTERS[c]; })
      .replace(MARKS, "")
      .replace(/[\u06F0-\u06F9]/g, function (d) { return String(d.charCodeAt(0) - 0x06F0); })
      .replace(/[\u0660-\u0669]/g, function (d) { return String(d.charCodeAt(0) - 0x0660); });
  }

  // The same expression as SEPARATOR in kb/search_index.py.
  var SEPARATOR = /[\s\-\u2013\u2014\u200c\u200d«»،؛؟!?:.,;()\[\]{}"“”'‘’\/|]+/g;

  function nameKey(text) {
    return fold(text).replace(SEPARATOR, "").toLowerCase();
  }

  var helpers = null;   // a promise of {base, names, spellings}
  var spellings = {};   // filled in as soon as kb-search.json has arrived
  function loadHelpers() {
    if (helpers) return helpers;
    var config = JSON.parse(document.getElementById("__config").textContent);
    var base = new URL(config.base + "/", location.href);
    var inlined = window.__kbSearch ? Promise.resolve(window.__kbSearch) : null;  // the offline copy
    helpers = (inlined || fetch(new URL("search/kb-search.json", base)).then(function (response) {
      return response.ok ? response.json() : {};
    })).catch(function () { return {}; }).then(function (data) {
      spellings = data.spellings || {};
      return { base: base, names: data.names || {} };
    });
    return helpers;
  }

  function restoreSpellings(text) {
    return text.replace(/[^\s]+/g, function (word) {
      return word.indexOf("\u200c") < 0 && spellings.hasOwnProperty(word) ? spellings[word] : word;
    });
  }

  function promoteExactName() {
    var input = document.querySelector('[data-md-component="search-query"]');
    var list = document.querySelector(".md-search-result__list");
    if (!input || !list) return;
    var query = input.value;
    loadHelpers().then(function (found) {
      var match = found.names[nameKey(query)];
      if (match === undefined || input.value !== query) return;
      var target = new URL(match.url, found.base);
      var items = list.querySelectorAll(":scope > .md-search-result__item");
      for (var i = 0; i < items.length; i++) {
        var link = items[i].querySelector(".md-search-result__link");
        if (link && new URL(link.getAttribute("href"), location.href).pathname === target.pathname) {
          if (i > 0) list.insertBefore(items[i], items[0]);
          return;
        }
      }
      // Not among the results rendered so far: put the concept's page first all the same.
      list.insertBefore(resultItem(target.href, match.title), items[0] || null);
    });
  }

  function resultItem(href, title) {
    var item = document.createElement("li");
    item.className = "md-search-result__item";
    item.setAttribute("data-kb-name-match", "");
    var link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = href;
    link.tabIndex = -1;
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    var icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    var heading = document.createElement("h1");
    heading.textContent = title;
    article.append(icon, heading);
    link.append(article);
    item.append(link);
    return item;
  }

  var observer = new MutationObserver(function () {
    observer.disconnect();
    promoteExactName();
    watchResults();
  });
  function watchResults() {
    var list = document.querySelector(".md-search-result__list");
    if (list) observer.observe(list, { childList: true });
  }
  document.addEventListener("DOMContentLoaded", watchResults);
  if (document.readyState !== "loading") watchResults();

  function isSearchInput(element) {
    return element && element.matches && element.matches('[data-md-component="search-query"]');
  }

  function normaliseAndAnnounce(input) {
    var value = input.value;
    var folded = restoreSpellings(fold(value));
    if (folded !== value) {
      var caret = restoreSpellings(fold(value.slice(0, input.selectionStart || 0))).length;
      input.value = folded;
      input.setSelectionRange(caret, caret);
    }
    input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }

  document.addEventListener("input", function (event) {
    if (isSearchInput(event.target) && !event.isComposing) normaliseAndAnnounce(event.target);
  }, true);

  document.addEventListener("focusin", function (event) {
    if (isSearchInput(event.target)) loadHelpers().then(function () {
      if (event.target.value) normaliseAndAnnounce(event.target);
    });
  }, true);

  document.addEventListener("compositionend", function (event) {
    if (isSearchInput(event.target)) normaliseAndAnnounce(event.target);
  }, true);

  window.kbFoldQuery = fold; // used by the tests, and handy in the console
})();

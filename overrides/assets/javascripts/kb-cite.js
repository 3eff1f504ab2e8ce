/*
 * "Cite" controls on concept pages.
 *
 * The page carries its citations, generated at build time (kb/citations.py), in
 * <script id="kb-cite-data">: the whole page, and one citation of "a section" with slots
 * for the section's title and id, in APA 7 and Chicago author-date (in the page's
 * language), BibTeX and RIS; and for each source a secondary citation of the original
 * work with the source article as the reference. The build cannot know where the site
 * will be published, so citations hold a slot for the address; it is filled here with
 * the address of the page the reader is on.
 *
 * Without JavaScript the page still ends with a static "How to cite this page" section.
 */
(function () {
  "use strict";

  var holder = document.getElementById("kb-cite-data");
  if (!holder) return;
  var data = JSON.parse(holder.textContent);
  var labels = data.labels;
  var pageUrl = location.href.split("#")[0].split("?")[0].replace(/index\.html$/, "");

  var slots = data.slots;
  function urlFor(anchor) { return anchor ? pageUrl + "#" + anchor : pageUrl; }
  function put(text, slot, value) { return text.split(slot).join(value); }
  function fill(text, anchor) { return put(text, slots.url, urlFor(anchor)); }
  function fillHtml(html, anchor) {  // the address is left-to-right inside Persian text
    return put(html, slots.url, '<span class="kb-url" dir="ltr">' + escapeHtml(urlFor(anchor)) + "</span>");
  }

  // The citation of one section: the section template with its title and id put in.
  function entryFor(anchor) {
    if (!anchor) return data.entry;
    var titles = data.sections[anchor], t = data.section;
    function text(value, title) { return put(put(value, slots.section, title), slots.id, anchor); }
    return {
      apa: { html: text(t.apa.html, escapeHtml(titles.title)), text: text(t.apa.text, titles.title) },
      chicago: { html: text(t.chicago.html, escapeHtml(titles.chicago)), text: text(t.chicago.text, titles.chicago) },
      bibtex: text(t.bibtex, titles.title),
      ris: text(t.ris, titles.title)
    };
  }

  function element(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) { node.setAttribute(name, attributes[name]); });
    (children || []).forEach(function (child) {
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function copyButton(text) {
    // Not Material's clipboard helper: inside a modal dialog the rest of the page is inert,
    // and it copies from a hidden field in <body>.
    var button = element("button", { "class": "kb-cite-copy", type: "button" }, [labels.copy]);
    button.addEventListener("click", function () {
      copyText(text, button).then(function () {
        button.textContent = labels.copied;
        setTimeout(function () { button.textContent = labels.copy; }, 2000);
      });
    });
    return button;
  }

  function copyText(text, near) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var field = element("textarea", { "class": "kb-copy-field", readonly: "" }, [text]);
    near.after(field);
    field.select();
    document.execCommand("copy");
    field.remove();
    return Promise.resolve();
  }

  function downloadButton(text, name, type) {
    var button = element("button", { "class": "kb-cite-download", type: "button" }, [labels.download]);
    button.addEventListener("click", function () {
      var link = element("a", { href: URL.createObjectURL(new Blob([text], { type: type + ";charset=utf-8" })),
                                download: name });
      document.body.append(link);
      link.click();
      link.remove();
    });
    return button;
  }

  function styleBlock(title, html, text) {
    var body = element("p", { "class": "kb-cite-text" });
    body.innerHTML = html;  // built at build time from escaped text, titles in <i>
    return element("div", { "class": "kb-cite-block" }, [
      element("p", { "class": "kb-cite-style" }, [title]), body, copyButton(text)]);
  }

  function codeBlock(title, text, name, type) {
    return element("details", { "class": "kb-cite-format" }, [
      element("summary", {}, [title]),
      element("pre", { dir: "ltr" }, [element("code", {}, [text])]),
      copyButton(text), downloadButton(text, name, type)]);
  }

  var dialog = null;
  function openDialog(heading, blocks) {
    if (dialog) dialog.remove();
    var close = element("button", { "class": "kb-cite-close", type: "button" }, [labels.close]);
    dialog = element("dialog", { "class": "kb-cite-dialog md-typeset", "aria-label": heading },
                     [element("h2", {}, [heading])].concat(blocks, [close]));
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("click", function (event) { if (event.target === dialog) dialog.close(); });
    document.body.append(dialog);
    dialog.showModal();
    close.focus();
  }

  function entryBlocks(anchor) {
    var entry = entryFor(anchor);
    var base = data.page + (anchor ? "-" + anchor : "");
    return [
      styleBlock(labels.apa, fillHtml(entry.apa.html, anchor), fill(entry.apa.text, anchor)),
      styleBlock(labels.chicago, fillHtml(entry.chicago.html, anchor), fill(entry.chicago.text, anchor)),
      codeBlock("BibTeX", fill(entry.bibtex, anchor), base + ".bib", "application/x-bibtex"),
      codeBlock("RIS", fill(entry.ris, anchor), base + ".ris", "application/x-research-info-systems")];
  }

  function citeButton(label, onClick) {
    // Material's content.tooltips shows a title by inserting it with innerHTML: give it HTML.
    var button = element("button", { "class": "kb-cite-button", type: "button", title: escapeHtml(label),
                                     "aria-label": label },
                         [element("span", { "aria-hidden": "true" }, ["❞"])]);
    button.setAttribute("data-kb-cite-control", "");
    button.addEventListener("click", onClick);
    return button;
  }

  // One control by the page title, one by each section heading.
  [""].concat(Object.keys(data.sections)).forEach(function (anchor) {
    var heading = anchor ? document.getElementById(anchor) : document.querySelector(".md-content h1");
    if (!heading) return;
    var label = anchor ? labels.cite_section : labels.cite_page;
    var title = heading.textContent.replace(/[#¶]\s*$/, "").trim();
    heading.append(citeButton(label, function () { openDialog(label + ": " + title, entryBlocks(anchor)); }));
    if (anchor) heading.setAttribute("data-kb-citable", "");
  });

  // One control in each citation of a source (inside it, so it never wraps away from it):
  // cite the original, through the article.
  document.querySelectorAll("[data-kb-source]").forEach(function (span) {
    var source = data.sources[span.getAttribute("data-kb-source")];
    if (!source) return;
    var reference = data.references[source.article];
    span.append(citeButton(labels.cite_original, function () {
      openDialog(labels.cite_original, [
        element("p", { "class": "kb-cite-note" }, [labels.secondary_explained]),
        styleBlock(labels.apa + " · " + labels.in_text, escapeHtml(source.apa), source.apa),
        styleBlock(labels.chicago + " · " + labels.in_text, escapeHtml(source.chicago), source.chicago),
        styleBlock(labels.apa + " · " + labels.reference_list, reference.apa.html, reference.apa.text),
        styleBlock(labels.chicago + " · " + labels.reference_list, reference.chicago.html, reference.chicago.text)]);
    }));
  });

  function escapeHtml(text) {
    var node = document.createElement("span");
    node.textContent = text;
    return node.innerHTML;
  }

  // The static "How to cite" section: put in the page's full address.
  var page = data.entry;
  document.querySelectorAll("[data-kb-cite-static] [data-kb-style]").forEach(function (node) {
    node.innerHTML = fillHtml(page[node.getAttribute("data-kb-style")].html, "");
  });
  document.querySelectorAll("[data-kb-cite-static] [data-kb-format]").forEach(function (node) {
    node.textContent = fill(page[node.getAttribute("data-kb-format")], "");
  });
  document.querySelectorAll("[data-kb-cite-static] .kb-cite-note").forEach(function (node) { node.remove(); });
})();

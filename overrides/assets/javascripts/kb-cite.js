/*
 * "Cite" controls on concept pages.
 *
 * The page carries, in <script id="kb-cite-data">, every citation its controls offer, made at
 * build time by kb/citations: the page and each section in APA 7 and Chicago author-date (in
 * the page's language), BibTeX and RIS, and for each source a statement cites, the secondary
 * citation of it with the source article as the reference. This script formats nothing: it
 * shows and copies those strings. The build cannot know where the site is published, so the
 * citations hold a slot for the address, which is filled here with the address of the page
 * (and section) in the edition the citation names, resolved against the address the reader is on.
 *
 * Without JavaScript the page still ends with a static "How to cite this page" section.
 */
(function () {
  "use strict";

  var holder = document.getElementById("kb-cite-data");
  if (!holder) return;
  var data = JSON.parse(holder.textContent);
  var labels = data.labels;
  // The address the citations name: the page in the edition they cite (data.address, relative
  // to this page unless kb.yml gave the site's address), so that a citation keeps its text.
  var pageUrl = data.address ? new URL(data.address, location.href).href.split("#")[0]
    : location.href.split("#")[0].split("?")[0];
  pageUrl = pageUrl.replace(/index\.html$/, "");

  function urlFor(anchor) { return anchor ? pageUrl + "#" + anchor : pageUrl; }
  function fill(text, anchor) { return text.split(data.slot).join(urlFor(anchor)); }
  // The build's HTML, with the address put into its slot as text (never as markup).
  function filledHtml(html, anchor) {
    var holder = document.createElement("span");
    holder.innerHTML = html;  // made at build time from escaped text (titles in <i>)
    holder.querySelectorAll(".kb-url").forEach(function (url) { url.textContent = urlFor(anchor); });
    return holder.innerHTML;
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
    var entry = data.entries[anchor];
    var base = data.page + (anchor ? "-" + anchor : "");
    return [
      styleBlock(labels.apa, filledHtml(entry.apa.html, anchor), fill(entry.apa.text, anchor)),
      styleBlock(labels.chicago, filledHtml(entry.chicago.html, anchor), fill(entry.chicago.text, anchor)),
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
  Object.keys(data.entries).forEach(function (anchor) {
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
  var page = data.entries[""];
  document.querySelectorAll("[data-kb-cite-static] [data-kb-style]").forEach(function (node) {
    node.innerHTML = filledHtml(page[node.getAttribute("data-kb-style")].html, "");
  });
  document.querySelectorAll("[data-kb-cite-static] [data-kb-format]").forEach(function (node) {
    node.textContent = fill(page[node.getAttribute("data-kb-format")], "");
  });
  document.querySelectorAll("[data-kb-cite-static] .kb-cite-note").forEach(function (node) { node.remove(); });
})();

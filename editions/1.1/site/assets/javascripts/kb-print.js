/*
 * Printing: a printed link should say where it goes. CSS shows the href after each link;
 * relative addresses mean little on paper, so each link also gets its full address here.
 */
(function () {
  "use strict";
  function annotate() {
    document.querySelectorAll(".md-content a[href]").forEach(function (link) {
      var href = link.getAttribute("href");
      if (href && href.charAt(0) !== "#") link.setAttribute("data-kb-print-href", link.href);
    });
  }
  window.addEventListener("beforeprint", annotate);
  if (window.matchMedia) window.matchMedia("print").addEventListener("change", function (m) { if (m.matches) annotate(); });
  annotate();
})();

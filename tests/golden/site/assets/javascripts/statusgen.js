/* statusgen: relative times and overdue promises, from <time datetime>, in the browser.
   The page is complete without this script; it only adds "(12 minutes ago)" and
   "(overdue)", in the page's language: the browser's own CLDR words (Intl), and the
   word for overdue that the page carries (data-late). */
(function () {
  /* The links to this page's translations are for search engines. mkdocs-material's
     script would fetch sitemap.xml beside each one on every view (over a megabyte for a
     long history); it looks for them once the page is loaded, after this script. */
  var translations = document.querySelectorAll("link[rel=alternate][hreflang]");
  for (var t = 0; t < translations.length; t++) translations[t].remove();
  var now = Date.now();
  var lang = document.documentElement.lang || "en";
  var words = window.Intl && Intl.RelativeTimeFormat ?
    new Intl.RelativeTimeFormat(lang, { numeric: "auto" }) : null;
  function ago(ms) {
    var m = Math.round(ms / 60000), h = Math.floor(m / 60);
    if (m < 60) return words.format(-m, "minute");
    if (h < 48) return words.format(-h, "hour");
    return words.format(-Math.floor(h / 24), "day");
  }
  var times = document.querySelectorAll("time[data-sg]");
  for (var i = 0; i < times.length; i++) {
    var el = times[i], at = Date.parse(el.getAttribute("datetime")), kind = el.getAttribute("data-sg");
    if (isNaN(at)) continue;
    if (kind === "next") {
      if (at < now) {
        el.parentNode.classList.add("sg-overdue");
        el.insertAdjacentText("afterend", " (" + (el.getAttribute("data-late") || "overdue") + ")");
      }
    } else if (at <= now && words) {
      el.insertAdjacentText("afterend", " (" + ago(now - at) + ")");
    }
  }
})();

/* statusgen: relative times and overdue promises, from <time datetime>, in the browser.
   The page is complete without this script; it only adds "(12 min ago)" and "(overdue)". */
(function () {
  var now = Date.now();
  function ago(ms) {
    var m = Math.round(ms / 60000), h = Math.floor(m / 60);
    if (m < 1) return "just now";
    if (m < 60) return m + " min ago";
    if (h < 48) return h + " h ago";
    return Math.floor(h / 24) + " days ago";
  }
  var times = document.querySelectorAll("time[data-sg]");
  for (var i = 0; i < times.length; i++) {
    var el = times[i], at = Date.parse(el.getAttribute("datetime")), kind = el.getAttribute("data-sg");
    if (isNaN(at)) continue;
    if (kind === "next") {
      if (at < now) {
        el.parentNode.classList.add("sg-overdue");
        el.insertAdjacentText("afterend", " (overdue)");
      }
    } else if (at <= now) {
      el.insertAdjacentText("afterend", " (" + ago(now - at) + ")");
    }
  }
})();

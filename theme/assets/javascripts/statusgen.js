/* statusgen: the page as it stands now, in the browser. The page is complete without this
   script, as of its build. The script only compares times: it shows the part whose
   interval (data-sg-from, data-sg-until, rendered by the build) holds now, writes
   relative times ("12 minutes ago", "in 25 minutes" before a promised update, "Starts in
   3 hours" before a maintenance window, in the page's language with the browser's own
   CLDR words), and polls live.json while the page is visible, to say how current the page
   is and to offer the news when there is some. It never reloads by itself. */
(function () {
  /* The links to this page's translations are for search engines. mkdocs-material's
     script would fetch sitemap.xml beside each one on every view (over a megabyte for a
     long history); it looks for them once the page is loaded, after this script. */
  var translations = document.querySelectorAll("link[rel=alternate][hreflang]");
  for (var t = 0; t < translations.length; t++) translations[t].remove();
  /* material's whole stylesheets load as media="print", without holding up the first
     paint (the page's head has the rules it needs): for the screen once loaded */
  var sheets = document.querySelectorAll("link[data-sg-screen]");
  function screen(link) { link.media = "all"; }
  for (var s = 0; s < sheets.length; s++) {
    if (sheets[s].sheet) screen(sheets[s]);
    else sheets[s].addEventListener("load", screen.bind(null, sheets[s]));
  }
  var doc = document, MINUTE = 60000;
  var live = doc.querySelector(".sg-live");
  var data = function (name) { return live && live.getAttribute("data-sg-" + name); };
  var words = window.Intl && Intl.RelativeTimeFormat ?
    new Intl.RelativeTimeFormat(doc.documentElement.lang || "en",
      { numeric: "auto", style: data("style") || "long" }) : null;
  function ago(ms) { return relative(-Math.max(0, ms)); }
  function relative(ms) { /* ms < 0: that long ago; ms > 0: in that long */
    var sign = ms < 0 ? -1 : 1, m = Math.round(Math.abs(ms) / MINUTE), h = Math.floor(m / 60);
    if (m < 60) return words.format(sign * (sign > 0 ? Math.max(1, m) : m), "minute");
    if (h < 48) return words.format(sign * h, "hour");
    return words.format(sign * Math.floor(h / 24), "day");
  }
  /* how soon, as a reminder's message says it (Words.within): each unit rounded to the
     nearest, minutes under two hours unless whole, so the page and the e-mail agree */
  function soon(ms) {
    var m = Math.max(1, Math.round(ms / MINUTE)), h = Math.round(m / 60);
    if (m < 60 || (m < 120 && m % 60)) return words.format(m, "minute");
    if (h < 48) return words.format(h, "hour");
    return words.format(Math.round(m / 1440), "day");
  }
  function all(selector) { return doc.querySelectorAll(selector); }
  function time(el, name) { var at = Date.parse(el.getAttribute(name)); return isNaN(at) ? null : at; }

  var built = live && time(live, "data-sg-built"), state = data("state");
  var mine = data("incident"), latest = live && time(live, "data-sg-latest");
  var stale = (+data("stale") || 0) * 1000, polled = 0, news = false, title = doc.title;
  /* "(5 minutes ago)" as the page's language writes a remark: "（5分前）" in Japanese */
  var aside = data("aside") || " (%s)";

  function show(el, visible) { if (el) el.hidden = !visible; }
  function update() {
    var now = Date.now(), i, el;
    var parts = all("[data-sg-from],[data-sg-until]");
    for (i = 0; i < parts.length; i++) {
      el = parts[i];
      var from = time(el, "data-sg-from"), until = time(el, "data-sg-until");
      show(el, (from === null || from <= now) && (until === null || now < until));
    }
    var times = words ? all("time[data-sg]") : [];
    for (i = 0; i < times.length; i++) {
      el = times[i];
      var at = time(el, "datetime"), next = el.getAttribute("data-sg") === "next";
      /* "Starts in 3 hours": the time itself says how soon, and its line shows only
         while the moment is still to come */
      if (el.getAttribute("data-sg") === "in") {
        if (at !== null && at > now) el.textContent = soon(at - now);
        show(el.parentNode, at !== null && at > now);
        continue;
      }
      if (at === null || (!next && at > now)) continue;
      var slot = el.nextSibling;
      if (!slot || slot.className !== "sg-rel") {
        slot = doc.createElement("span");
        slot.className = "sg-rel";
        el.parentNode.insertBefore(slot, el.nextSibling);
      }
      /* a promised update that is due says nothing more: the page says "(overdue)" */
      if (!next) slot.textContent = aside.replace("%s", ago(now - at));
      else slot.textContent = at > now ? aside.replace("%s", relative(at - now)) : "";
    }
    if (built !== null && words) {
      var slots = all(".sg-live .sg-ago");
      for (i = 0; i < slots.length; i++) slots[i].textContent = ago(now - built);
      show(live.querySelector(".sg-checked"), true);
      show(live.querySelector(".sg-stale"), stale && now - built > stale);
    }
    if (!doc.hidden && now - polled >= MINUTE) poll();
  }
  function poll() {
    polled = Date.now();
    if (!live || !window.fetch) return;
    fetch(data("live"), { cache: "no-cache", credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (site) {
        if (!site || typeof site.state !== "string") return;
        if (state === null) state = site.state;
        var seen = mine && site.incidents && Date.parse(site.incidents[mine]);
        if (site.state !== state || (latest !== null && seen > latest)) return tell();
        var at = Date.parse(site.built_at);
        if (!isNaN(at) && (built === null || at > built)) built = at;
        update();
      })
      ["catch"](function () { /* offline, or no live.json: the page says what it knows */ });
  }
  function tell() {
    if (news) return;
    news = true;
    var notice = live.querySelector(".sg-news p");
    notice.querySelector("button").onclick = function () { location.reload(); };
    show(notice, true);
    if (doc.hidden || !doc.hasFocus()) doc.title = "\u25CF " + title;
  }
  function seen() { if (!doc.hidden) doc.title = title; }
  doc.addEventListener("visibilitychange", function () { seen(); update(); });
  window.addEventListener("focus", seen);
  update();
  setInterval(update, MINUTE / 4);
})();

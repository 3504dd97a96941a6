/* statusgen embed: the status of a site, in any page. No cookie, no library. */
(function () {
  "use strict";
  /* someone else's page: what fails here shows no banner, and never an error there */
  function safely(step) {
    return function () {
      try { return step.apply(this, arguments); } catch (e) { return undefined; }
    };
  }
  function own(table, key) {
    return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
  }
  var me = document.currentScript;  /* set only while the script first runs */
  safely(function () {
    if (!me || !me.src || !window.fetch || !window.Element || !Element.prototype.attachShadow) {
      return;
    }
    var words = {"active":["in_progress","verifying"],"api":"../api/v2/summary.json","close":"\u0625\u063a\u0644\u0627\u0642 \u0647\u0630\u0627 \u0627\u0644\u062a\u0646\u0628\u064a\u0647","colours":{"critical":"#b3121f","maintenance":"#0757b8","major":"#b3400a","minor":"#8a5a00","none":"#1a7f37"},"coming":["scheduled"],"dir":"rtl","label":["",": ",""],"status":{"cancelled":"\u0645\u0644\u063a\u0627\u0629","completed":"\u0645\u0643\u062a\u0645\u0644\u0629","identified":"\u062a\u0645 \u062a\u062d\u062f\u064a\u062f \u0627\u0644\u0633\u0628\u0628","in_progress":"\u062c\u0627\u0631\u064a\u0629","investigating":"\u0642\u064a\u062f \u0627\u0644\u062a\u062d\u0642\u064a\u0642","monitoring":"\u0642\u064a\u062f \u0627\u0644\u0645\u0631\u0627\u0642\u0628\u0629","postmortem":"\u062a\u062d\u0644\u064a\u0644 \u0645\u0627 \u0628\u0639\u062f \u0627\u0644\u0639\u0637\u0644","resolved":"\u062a\u0645 \u0627\u0644\u062d\u0644","scheduled":"\u0645\u062c\u062f\u0648\u0644\u0629","verifying":"\u0642\u064a\u062f \u0627\u0644\u062a\u062d\u0642\u0642"},"titles":{"2026-11-24-sign-in":"\u062a\u0639\u0630\u0651\u0631 \u0639\u0644\u0649 \u0628\u0639\u0636 \u0627\u0644\u0639\u0645\u0644\u0627\u0621 \u062a\u0633\u062c\u064a\u0644 \u0627\u0644\u062f\u062e\u0648\u0644","2026-11-28-upgrade":"API upgrade"}};
    var base = new URL(".", me.src);
    var upcoming = me.hasAttribute("data-upcoming");
    var store = "statusgen-dismissed:" + base.href;
    function dismissed() {
      try { return JSON.parse(localStorage.getItem(store) || "[]"); } catch (e) { return []; }
    }
    function dismiss(id) {
      try { localStorage.setItem(store, JSON.stringify(dismissed().concat(id).slice(-20))); }
      catch (e) { /* storage off: it comes back on the next page */ }
    }
    fetch(new URL(words.api, base).href, { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) return;
        var soon = Date.now() + 864e5, seen = dismissed();
        var all = (s.incidents || []).concat((s.scheduled_maintenances || []).filter(function (m) {
          return words.active.indexOf(m.status) >= 0 ||
            (upcoming && words.coming.indexOf(m.status) >= 0 && Date.parse(m.scheduled_for) < soon);
        }));
        var item = all.filter(function (i) { return seen.indexOf(i.id) < 0; })[0];
        if (item) whenBody(function () { show(item); });
      })
      .catch(function () { /* no news is shown as no banner */ });
    /* in the head (async, or not), the news can come before the body */
    function whenBody(then) {
      if (document.body) {
        then();
      } else if (document.readyState === "loading") {
        document.addEventListener("DOMContentLoaded", safely(function () {
          if (document.body) then();
        }));
      }
    }
    function show(item) {
      var host = document.createElement("div");
      var root = host.attachShadow({ mode: "open" });
      var colour = own(words.colours, item.impact) || words.colours.maintenance;
      root.innerHTML = "<style>" +
        ":host{all:initial}" +
        ".b{position:fixed;z-index:2147483647;left:1rem;right:1rem;bottom:1rem;max-width:40rem;" +
        "margin:auto;display:flex;gap:.75rem;align-items:center;padding:.75rem 1rem;" +
        "border-radius:.5rem;box-shadow:0 2px 12px rgba(0,0,0,.3);color:#fff;background:" +
        colour + ";font:15px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif}" +
        ".t{flex:1}a{color:#fff;font-weight:600}" +
        "button{all:unset;cursor:pointer;padding:.25rem .5rem;border-radius:.25rem;" +
        "font-size:1.25rem;line-height:1}" +
        "button:focus-visible,a:focus-visible{outline:2px solid #fff;outline-offset:2px}" +
        "</style><div class='b' dir='" + words.dir + "' role='status' aria-live='polite'>" +
        "<span class='t'></span>" +
        "<button type='button'>\u00d7</button></div>";
      var text = root.querySelector(".t"), close = root.querySelector("button");
      var link = document.createElement("a");
      link.href = new URL("incidents/" + encodeURIComponent(item.id) + "/", base).href;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = own(words.titles, item.id) || item.name;
      close.setAttribute("aria-label", words.close);
      var hide = safely(function () { dismiss(item.id); host.remove(); });
      close.addEventListener("click", hide);
      root.addEventListener("keydown", safely(function (e) { if (e.key === "Escape") hide(); }));
      document.body.appendChild(host);
      setTimeout(safely(function () {  /* filled once in the page, so screen readers announce it */
        /* "Investigating: <title>", as the language joins a label and its text */
        var said = words.label;
        text.appendChild(document.createTextNode(said[0] +
          (own(words.status, item.status) || item.status) + said[1]));
        text.appendChild(link);
        if (said[2]) text.appendChild(document.createTextNode(said[2]));
      }), 50);
    }
  })();
})();

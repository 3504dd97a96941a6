"""The status inside other pages: ``embed.js`` for pages that take a script, and
``embed/index.html`` for help centres that take only an iframe.

``embed.js`` reads ``api/v2/summary.json`` of the site it came from (at the site's root,
whatever the language) and, while an incident is open or a maintenance in progress (with
``data-upcoming``, also one scheduled within 24 hours), shows a small banner: the title,
the status and a link to the incident page in the script's language. It
needs no other file and no library, draws in a shadow root, sets no cookie (a dismissal is
kept per incident in the visitor's local storage), is a polite live region for screen
readers and closes with its button or Escape. Its words are the site's, put in at build.

``embed/index.html`` is the same news without any script: the overall status and what is
open, each linking to the site in a new tab (``theme/statusgen/embed.html``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from generator.core import routes, rules
from generator.core.vocabulary import COLOURS, INCIDENT_STATUSES, MAINTENANCE_STATUSES
from generator.language import Words, words
from generator.outputs import Context, File
from generator.outputs.writing import Writing

SCRIPT = "embed.js"
PAGE = "embed/index.html"

_JS = """/* statusgen embed: the status of a site, in any page. No cookie, no library. */
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
    var words = __WORDS__;
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
        "<button type='button'>\\u00d7</button></div>";
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
"""


def files(context: Context) -> Iterator[File]:
    config = context.site.config
    said = words(config.language)
    # the API is the site's, at its root; the pages linked are this language's
    prefix = config.prefix(config.language)
    up = "../" * prefix.count("/")
    # the API speaks the default language: another one's script knows the titles it shows
    site = context.site
    shown = (*site.open_incidents, *site.active_maintenance, *site.upcoming_maintenance)
    titles = {i.id: str(i.title) for i in shown} if prefix else {}
    yield SCRIPT, _script(said, up + routes.api("summary.json"), titles).encode("utf-8")
    yield PAGE, _page(context).encode("utf-8")


def _script(said: Words, api: str, titles: dict[str, str]) -> str:
    statuses = (*INCIDENT_STATUSES, *MAINTENANCE_STATUSES)
    # the script decides nothing by a status: which maintenance it shows is the rules'
    active, coming = rules.embedded_maintenance()
    table = {
        "active": active,
        "coming": coming,
        "api": api,
        "titles": titles,
        "close": said.gettext("Dismiss this notice"),
        # what comes before the label, between it and the text, after the text
        "label": said.gettext("%(label)s: %(text)s", label="\0", text="\0").split("\0"),
        "dir": "rtl" if said.rtl else "ltr",
        "status": {status: said.label("status", status) for status in statuses},
        "colours": {
            key: COLOURS[key] for key in ("none", "minor", "major", "critical", "maintenance")
        },
    }
    return _JS.replace("__WORDS__", json.dumps(table, sort_keys=True, separators=(",", ":")))


def _page(context: Context) -> str:
    site, urls = context.site, context.routes
    page = Writing(site.config, context.theme).render(
        "embed.html",
        url=urls.url,
        home=urls.url(""),
        indicator=site.indicator,
        colour=COLOURS[site.indicator],
        items=[*site.open_incidents, *site.active_maintenance],
        now=site.now,
    )
    return page + "\n"  # Jinja leaves out a template's last line break

// Shared by the network and map pages (inlined before each page's own script):
// tooltip / details cards built from structured data. Data only ever goes
// through textContent and a checked href: never innerHTML.
var twinlacCard = (function () {
  "use strict";
  var HTTP_URL = /^https?:\/\//i;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // Tooltip / details card from structured data. Data only ever goes through
  // textContent and a checked href: never innerHTML.
  function card(tip) {
    var root = el("div", "tw-card");
    root.appendChild(el("div", "tw-card-title", tip.title));
    if (tip.subtitle) root.appendChild(el("div", "tw-card-subtitle", tip.subtitle));
    var table = el("table");
    (tip.rows || []).forEach(function (row) {
      var tr = el("tr");
      tr.appendChild(el("th", null, row[0]));
      tr.appendChild(el("td", null, row[1]));
      table.appendChild(tr);
    });
    root.appendChild(table);
    var a = sourceLink(tip.link);
    if (a) root.appendChild(a);
    appendMoreLinks(root, tip.more_links);
    // Grouped lines list their agreements; a hover tooltip shows the first few.
    var items = tip.items || [];
    if (items.length) {
      var limit = tip.limit ? Math.min(tip.limit, items.length) : items.length;
      var list = el("ol", "tw-items");
      items.slice(0, limit).forEach(function (item) {
        var li = el("li");
        li.appendChild(el("div", "tw-item-title", item.text));
        if (item.detail) li.appendChild(el("div", "tw-item-detail", item.detail));
        var itemLink = sourceLink(item.link);
        if (itemLink) li.appendChild(itemLink);
        if (item.source) li.appendChild(el("div", "tw-item-source", "Source: " + item.source));
        appendMoreLinks(li, item.more_links);
        list.appendChild(li);
      });
      root.appendChild(list);
      if (limit < items.length) {
        root.appendChild(el("p", "tw-hint", "\u2026 and " + (items.length - limit) +
                            " more: click the line to list them all."));
      }
    }
    return root;
  }

  function appendMoreLinks(parent, links) {
    var made = (links || []).map(sourceLink).filter(Boolean);
    if (!made.length) return;
    var box = el("div", "tw-more-links", "Also reported by:");
    made.forEach(function (a) { box.appendChild(a); });
    parent.appendChild(box);
  }

  function sourceLink(link) {
    if (!link || typeof link.href !== "string" || !HTTP_URL.test(link.href)) return null;
    var a = el("a", "tw-card-link", link.text || link.href);
    a.setAttribute("href", link.href);
    a.setAttribute("target", "_blank");
    a.setAttribute("rel", "noopener noreferrer");
    return a;
  }

  return { HTTP_URL: HTTP_URL, el: el, card: card, sourceLink: sourceLink };
})();

// lokerwatch desk: keyboard shortcuts and small conveniences. Plain JS, no libraries, no inline code
// (the page's CSP allows scripts from this origin only).
(function () {
  "use strict";
  var DECISIONS = { "1": "trafficking", "2": "scam", "3": "benign", "4": "need_info" };

  function typing(event) {
    var t = event.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  function queuePage() {
    var rows = Array.prototype.slice.call(document.querySelectorAll("#queue tr.row"));
    if (!rows.length) { return; }
    var index = 0;
    function select(i) {
      if (rows[index]) { rows[index].classList.remove("selected"); }
      index = Math.max(0, Math.min(rows.length - 1, i));
      rows[index].classList.add("selected");
      rows[index].scrollIntoView({ block: "nearest" });
    }
    select(0);
    rows.forEach(function (row, i) {
      row.addEventListener("click", function (event) {
        if (event.target.closest("a, button, input")) { return; }
        select(i);
        window.location.href = row.dataset.href;
      });
    });
    var form = document.getElementById("quick-decide");
    document.addEventListener("keydown", function (event) {
      if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) { return; }
      if (event.key === "j") { select(index + 1); event.preventDefault(); }
      else if (event.key === "k") { select(index - 1); event.preventDefault(); }
      else if (event.key === "Enter" || event.key === "o") { window.location.href = rows[index].dataset.href; }
      else if (DECISIONS[event.key] && form) {
        form.action = form.dataset.actionTemplate.replace("{id}", rows[index].dataset.adId);
        form.elements.decision.value = DECISIONS[event.key];
        form.submit();
      }
    });
  }

  function adPage() {
    var form = document.getElementById("decide-form");
    if (form) {
      document.addEventListener("keydown", function (event) {
        if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) { return; }
        var button = form.querySelector('button[data-key="' + event.key + '"]');
        if (button) { event.preventDefault(); button.click(); }
        else if (event.key === "u") { window.location.href = "/desk/antrean"; }
      });
    }
    // Hovering an indicator marks its words in the text.
    document.querySelectorAll("li.indicator").forEach(function (item) {
      var name = item.dataset.indicator;
      function mark(on) {
        document.querySelectorAll("mark.hl").forEach(function (m) {
          if ((" " + m.dataset.indicators + " ").indexOf(" " + name + " ") >= 0) { m.classList.toggle("active", on); }
        });
      }
      item.addEventListener("mouseenter", function () { mark(true); });
      item.addEventListener("mouseleave", function () { mark(false); });
    });
  }

  function foldFiltersOnPhones() {
    // On a phone the filters start folded so the queue itself is on the first screen.
    var box = document.getElementById("filter-box");
    if (box && window.matchMedia("(max-width: 640px)").matches && !/[?&](sumber|modus|indikator|wilayah|status|bebas)=/.test(location.search)) {
      box.removeAttribute("open");
    }
  }

  document.addEventListener("DOMContentLoaded", function () { foldFiltersOnPhones(); queuePage(); adPage(); });
})();

// Recent moments read as "3 hours ago", and stay right while the page is open. The server writes
// the moment itself (a cached page must not say "31 seconds ago" for ten minutes); this rewrites
// every <time data-relative> younger than a day, on load, every 30 s, and in what htmx swaps in.
(function () {
  "use strict";
  var DAY = 86400;
  var UNITS = [["hour", 3600], ["minute", 60], ["second", 1]];
  var format = new Intl.RelativeTimeFormat(document.documentElement.lang || "en", { numeric: "auto" });

  function relative(seconds) {
    for (var i = 0; i < UNITS.length; i++) {
      if (seconds >= UNITS[i][1] || i === UNITS.length - 1) {
        return format.format(-Math.floor(seconds / UNITS[i][1]), UNITS[i][0]);
      }
    }
  }

  function update(root) {
    var times = root.querySelectorAll("time[data-relative]");
    for (var i = 0; i < times.length; i++) {
      var age = (Date.now() - Date.parse(times[i].dateTime)) / 1000;
      // Older than a day, or a clock behind the server's: the server's text, the moment, stands.
      if (age >= 0 && age < DAY) times[i].textContent = relative(age);
      else times[i].textContent = times[i].title;
    }
  }

  update(document);
  setInterval(function () { update(document); }, 30000);
  document.addEventListener("htmx:load", function (event) { update(event.detail.elt); });
})();

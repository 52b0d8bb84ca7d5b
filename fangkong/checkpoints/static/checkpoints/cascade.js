// Cascading selects on the public forms: choosing a province loads its cities, a city its
// counties, a township its villages. Without JavaScript the server still validates the codes.
(function () {
  "use strict";
  function load(select, parent) {
    var url = select.getAttribute("data-url");
    if (!url) { return; }
    fetch(url + "?parent=" + encodeURIComponent(parent), { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        select.innerHTML = html;
        var next = select.getAttribute("data-cascade");
        if (next) { document.getElementById(next).innerHTML = ""; }
      });
  }
  document.addEventListener("change", function (event) {
    var source = event.target;
    var targetId = source.getAttribute && source.getAttribute("data-cascade");
    if (!targetId) { return; }
    var target = document.getElementById(targetId);
    if (target) { load(target, source.value); }
  });
})();

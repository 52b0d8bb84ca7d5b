/* The report form: a pre-filled figure's reason field shows only when the figure differs from
   the platform's value (without JavaScript every reason field stays visible). */
(function () {
  "use strict";
  document.querySelectorAll(".report-item[data-prefilled]").forEach(function (item) {
    var input = item.querySelector("input[type=number]");
    var why = item.querySelector(".why");
    if (!input || !why) {
      return;
    }
    var platform = Number(item.dataset.prefilled);
    var sync = function () {
      var changed = input.value !== "" && Number(input.value) !== platform;
      why.hidden = !changed && why.value === "";
      why.required = changed;
    };
    input.addEventListener("input", sync);
    sync();
  });
})();

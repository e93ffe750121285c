// Small progressive enhancements; every flow also works without this file.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var message = event.target.dataset && event.target.dataset.confirm;
    if (message && !window.confirm(message)) event.preventDefault();
  }, true);

  // Replay with the keyboard: arrows, Home, End.
  var keys = { ArrowLeft: "prev", ArrowRight: "next", Home: "first", End: "last" };
  document.addEventListener("keydown", function (event) {
    if (event.target.closest && event.target.closest("input, textarea, select")) return;
    var which = keys[event.key];
    if (!which) return;
    var link = document.querySelector('[data-replay="' + which + '"]');
    if (link) {
      event.preventDefault();
      link.click();
    }
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("input[data-copy]")) event.target.select();
  });
})();

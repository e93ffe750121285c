// Chess: click a piece, then its destination (a promotion asks for the piece). The typed-move
// form works without this file; this only fills it in and submits it.
(function () {
  "use strict";

  var selected = null;

  function squareName(target) {
    var rect = target.closest && target.closest("rect.square");
    if (!rect) return null;
    for (var i = 0; i < rect.classList.length; i++) {
      if (/^[a-h][1-8]$/.test(rect.classList[i])) return rect.classList[i];
    }
    return null;
  }

  function mark(board, square, cls) {
    var rect = board.querySelector("rect.square." + square);
    if (rect) rect.classList.add(cls);
  }

  function clearMarks(board) {
    board.querySelectorAll("rect.selected, rect.target").forEach(function (rect) {
      rect.classList.remove("selected", "target");
    });
  }

  function submitMove(uci) {
    var form = document.querySelector("form[data-move-form]");
    if (!form) return;
    form.querySelector("input[name=move]").value = uci;
    form.requestSubmit();
  }

  // Click a piece, then its destination. Legal moves come from the server (data-legal).
  document.addEventListener("click", function (event) {
    var board = event.target.closest && event.target.closest("[data-board][data-legal]");
    if (!board) return;
    var square = squareName(event.target);
    if (!square) return;
    var legal = board.dataset.legal.split(" ");
    if (selected && selected !== square) {
      var prefix = selected + square;
      var candidates = legal.filter(function (m) { return m.indexOf(prefix) === 0; });
      if (candidates.length) {
        clearMarks(board);
        selected = null;
        if (candidates[0].length === 5) {
          var chooser = document.querySelector("[data-promotion]");
          chooser.dataset.prefix = prefix;
          chooser.hidden = false;
          chooser.querySelector("button").focus();
        } else {
          submitMove(candidates[0]);
        }
        return;
      }
    }
    clearMarks(board);
    var from = legal.filter(function (m) { return m.indexOf(square) === 0; });
    if (from.length && selected !== square) {
      selected = square;
      mark(board, square, "selected");
      from.forEach(function (m) { mark(board, m.slice(2, 4), "target"); });
    } else {
      selected = null;
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-promote]");
    if (!button) return;
    var chooser = button.closest("[data-promotion]");
    chooser.hidden = true;
    submitMove(chooser.dataset.prefix + button.dataset.promote);
  });

  document.addEventListener("htmx:afterSwap", function () { selected = null; });
})();

/* The receipt's "Imprimer" button: hidden without JavaScript (the browser's own print menu still
   works, and the print stylesheet cleans the page up); shown and wired to window.print() here. */
document.querySelectorAll("[data-imprimer]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});

/* The receipt's "Imprimer" button. It exists only with JavaScript: this script builds it in the
   empty paragraph that carries its label, so without JS (or in a text browser that ignores `hidden`)
   no button does nothing; the browser's own print menu works, and the print stylesheet cleans up. */
document.querySelectorAll("[data-imprimer]").forEach(function (place) {
  var button = document.createElement("button");
  button.type = "button";
  button.className = "bouton bouton--secondaire";
  button.textContent = place.getAttribute("data-imprimer");
  button.addEventListener("click", function () { window.print(); });
  place.appendChild(button);
});

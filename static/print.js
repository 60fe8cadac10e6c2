// Buttons marked data-print print the page (posters, bulletins). A file of its own
// because the Content-Security-Policy allows no inline handlers.
for (const b of document.querySelectorAll("[data-print]")) {
  b.addEventListener("click", () => window.print());
}

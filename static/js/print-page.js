// The print toolbar's button opens the browser's print dialog (no inline handler: CSP).
for (const button of document.querySelectorAll("[data-print-page]")) {
  button.addEventListener("click", () => window.print());
}

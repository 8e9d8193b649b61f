// The "copy BibTeX" button of a note's paper card (_templates/papers/card.html).
// It stays hidden where the page has no clipboard to write to (no script, or
// not a secure context); the status line next to it tells screen readers too.
document.querySelectorAll(".paper-copy-bibtex").forEach((button) => {
  const source = document.getElementById(button.dataset.bibtex);
  const status = button.parentElement.querySelector(".paper-copy-status");
  if (!source || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    status.textContent = "";  // a second copy is announced again
    try {
      await navigator.clipboard.writeText(source.textContent);
      status.textContent = button.dataset.copied;
    } catch {
      status.textContent = button.dataset.failed;
    }
  });
});

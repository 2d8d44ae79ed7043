/** Calls `open` with a file chosen in either file input or dropped anywhere on the page. */
export function installFileOpening(inputs: readonly HTMLInputElement[], dropHint: HTMLElement, open: (file: File) => void): void {
  for (const input of inputs) {
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      // Cleared so that choosing the same file again opens it again.
      input.value = '';
      if (file) open(file);
    });
  }
  window.addEventListener('dragover', (event) => { event.preventDefault(); dropHint.hidden = false; });
  window.addEventListener('dragleave', (event) => { if (!event.relatedTarget) dropHint.hidden = true; });
  window.addEventListener('drop', (event) => {
    event.preventDefault();
    dropHint.hidden = true;
    const file = event.dataTransfer?.files[0];
    if (file) open(file);
  });
}

/** Calls `open` with the files chosen in either file input or dropped anywhere on the page (several: a .gltf with its .bin). */
export function installFileOpening(inputs: readonly HTMLInputElement[], dropHint: HTMLElement, open: (files: readonly File[]) => void): void {
  for (const input of inputs) {
    input.addEventListener('change', () => {
      const files = Array.from(input.files ?? []);
      // Cleared so that choosing the same file again opens it again.
      input.value = '';
      if (files.length > 0) open(files);
    });
  }
  window.addEventListener('dragover', (event) => { event.preventDefault(); dropHint.hidden = false; });
  window.addEventListener('dragleave', (event) => { if (!event.relatedTarget) dropHint.hidden = true; });
  window.addEventListener('drop', (event) => {
    event.preventDefault();
    dropHint.hidden = true;
    const files = Array.from(event.dataTransfer?.files ?? []);
    if (files.length > 0) open(files);
  });
}

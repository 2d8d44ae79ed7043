/** A `?name=` parameter of the page; an empty one (`?mesh=`) counts as absent, so it never names the page itself. */
export function pageParameter(params: URLSearchParams, name: string): string | null {
  return params.get(name) || null;
}

/**
 * Sets `select` from the `?name=` parameter, or to `fallback` when it is absent or not one of the
 * select's options; returns the message for a value that is not an option, else null.
 */
export function selectFromParameter(params: URLSearchParams, name: string, select: HTMLSelectElement, fallback: string): string | null {
  const value = pageParameter(params, name);
  const allowed = Array.from(select.options, (option) => option.value);
  const valid = value !== null && allowed.includes(value);
  select.value = valid ? value : fallback;
  if (value === null || valid) return null;
  return `?${name}=${value} is not one of ${allowed.join(', ')}; using ${fallback}.`;
}

// Saving what the API hands out as a file in the admin's browser.

/** Opens ``url`` as a download: the server names the file and marks it an attachment. */
export function downloadUrl(url: string) {
  const link = document.createElement("a");
  link.href = url;
  link.rel = "noopener";
  link.download = "";
  document.body.appendChild(link);
  link.click();
  link.remove();
}

/** Saves ``text`` as ``filename`` (e.g. the CSV of a contacts export). */
export function downloadText(text: string, filename: string, type: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  try {
    const link = document.createElement("a");
    link.href = url;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
  } finally {
    // The click has handed the blob to the browser's download; the URL is no longer needed.
    window.setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}

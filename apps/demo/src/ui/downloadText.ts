/**
 * Offers text as a file download (a Blob behind a temporary link).
 *
 * @param fileName - the name the browser suggests.
 * @param text - the content.
 * @param type - its media type.
 */
export function downloadText(fileName: string, text: string, type = 'application/x-ndjson'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the blob after click() returns: free it a while later.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

// Copy buttons: <button type="button" data-copy="element-id">Copy</button> copies that element's text.
// Delegated from the document, so it works on static pages, after enhanced navigation and inside live circuits.
document.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-copy]');
  const source = button && document.getElementById(button.dataset.copy);
  if (!source) {
    return;
  }

  const status = document.getElementById(button.dataset.copy + '-copy-status');
  const say = (text) => { if (status) { status.textContent = text; } };
  const text = source.textContent.trim();
  try {
    await navigator.clipboard.writeText(text);
    say('Copied.');
  } catch {
    // The clipboard API needs a secure context (https or localhost); selecting the text leaves Ctrl+C to the user.
    const range = document.createRange();
    range.selectNodeContents(source);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    say('Selected: press Ctrl+C to copy.');
  }
});

/**
 * The inbox a person reads in the browser. Every value that came from a
 * message is escaped; a message's HTML part is shown only inside a sandboxed
 * iframe, so its scripts never run and it cannot reach this page.
 */
import type { MessageSummary, StoredMessage } from './mailbox';

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const urlPattern = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Sentence punctuation right after a link is almost never part of it.
const trailingPunctuation = /[.,;:!?'")\]}]+$/;

/**
 * Plain text as HTML with http(s) links made clickable. Only absolute http and
 * https URLs become links, so a `javascript:` or `data:` URL stays text.
 */
export function linkifyText(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    const start = match.index;
    const candidate = match[0].replace(trailingPunctuation, '');
    if (!isHttpUrl(candidate)) continue;
    html += escapeHtml(text.slice(last, start));
    html += `<a href="${escapeHtml(candidate)}" target="_blank" rel="noopener noreferrer">${escapeHtml(candidate)}</a>`;
    last = start + candidate.length;
  }
  return html + escapeHtml(text.slice(last));
}

function isHttpUrl(candidate: string): boolean {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Local time as `YYYY-MM-DD HH:MM:SS`: the inbox runs on the reader's own machine. */
function formatTime(iso: string): string {
  const date = new Date(iso);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

const styles = `
  body { margin: 0; font: 14px/1.5 system-ui, sans-serif; color: #0f172a; background: #f8fafc; }
  header { background: #0f172a; color: #f8fafc; padding: 12px 24px; display: flex; gap: 16px; align-items: baseline; }
  header a { color: inherit; text-decoration: none; font-weight: 600; }
  header span { color: #94a3b8; font-size: 12px; }
  main { max-width: 1000px; margin: 24px auto; padding: 0 24px; }
  h1 { font-size: 20px; margin: 0 0 16px; overflow-wrap: anywhere; }
  h2 { font-size: 15px; margin: 24px 0 8px; }
  table { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid #e2e8f0; }
  th, td { text-align: left; padding: 8px 12px; border-bottom: 1px solid #e2e8f0; vertical-align: top; overflow-wrap: anywhere; }
  th { background: #f1f5f9; font-weight: 600; }
  td.time { white-space: nowrap; color: #475569; font-variant-numeric: tabular-nums; }
  a { color: #1d4ed8; }
  .empty { background: #fff; border: 1px dashed #cbd5e1; padding: 32px; text-align: center; color: #475569; }
  pre { background: #fff; border: 1px solid #e2e8f0; padding: 12px; white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
  iframe { width: 100%; height: 520px; border: 1px solid #e2e8f0; background: #fff; resize: vertical; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
  dt { color: #475569; }
  dd { margin: 0; overflow-wrap: anywhere; }
  .muted { color: #64748b; }
  td.header-value { font: 12px/1.5 ui-monospace, monospace; white-space: pre-wrap; }
`;

function page(title: string, body: string, options: { refreshSeconds?: number } = {}): string {
  const refresh = options.refreshSeconds ? `<meta http-equiv="refresh" content="${options.refreshSeconds}">` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${refresh}<title>${escapeHtml(title)}</title>
<style>${styles}</style>
</head>
<body>
<header><a href="/">ServerPOS mail</a><span>local test inbox — mail sent here is kept here, never delivered</span></header>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The list of received messages, newest first; reloads itself so new mail shows up. */
export function renderInbox(messages: MessageSummary[], smtpUrl: string): string {
  if (messages.length === 0) {
    return page(
      'Inbox — ServerPOS mail',
      `<h1>Inbox</h1>
<div class="empty"><p><strong>No e-mail yet.</strong></p><p>Messages sent to <code>${escapeHtml(smtpUrl)}</code> appear here; this page reloads every few seconds.</p></div>`,
      { refreshSeconds: 5 },
    );
  }
  const rows = messages
    .map(
      (message) => `<tr>
<td class="time"><time datetime="${escapeHtml(message.receivedAt)}">${escapeHtml(formatTime(message.receivedAt))}</time></td>
<td>${escapeHtml(message.to.join(', '))}</td>
<td><a href="/messages/${encodeURIComponent(message.id)}">${message.subject ? escapeHtml(message.subject) : '<span class="muted">(no subject)</span>'}</a></td>
</tr>`,
    )
    .join('\n');
  return page(
    `Inbox (${messages.length}) — ServerPOS mail`,
    `<h1>Inbox <span class="muted">(${messages.length})</span></h1>
<table>
<thead><tr><th>Received</th><th>To</th><th>Subject</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`,
    { refreshSeconds: 5 },
  );
}

/** One message: its envelope, the text part, the HTML part in a sandbox, and all headers. */
export function renderMessage(message: StoredMessage): string {
  const subject = message.subject || '(no subject)';
  const headerRows = Object.entries(message.headers)
    .map(([name, value]) => `<tr><th>${escapeHtml(name)}</th><td class="header-value">${escapeHtml(value)}</td></tr>`)
    .join('\n');
  // sandbox="" with no allowances: no scripts, no forms, no popups, and a unique
  // origin, so the message cannot read this page or act as this server.
  const htmlPart =
    message.html === null
      ? '<p class="muted">This message has no HTML part.</p>'
      : `<iframe sandbox="" referrerpolicy="no-referrer" title="HTML part" srcdoc="${escapeHtml(message.html)}"></iframe>`;
  return page(
    `${subject} — ServerPOS mail`,
    `<p><a href="/">← Inbox</a></p>
<h1>${escapeHtml(subject)}</h1>
<dl>
<dt>Received</dt><dd><time datetime="${escapeHtml(message.receivedAt)}">${escapeHtml(formatTime(message.receivedAt))}</time></dd>
<dt>From</dt><dd>${escapeHtml(message.from)}</dd>
<dt>To</dt><dd>${escapeHtml(message.to.join(', '))}</dd>
<dt>Message-ID</dt><dd>${message.messageId ? escapeHtml(message.messageId) : '<span class="muted">none</span>'}</dd>
</dl>
<h2>Text</h2>
${message.text ? `<pre>${linkifyText(message.text)}</pre>` : '<p class="muted">This message has no text part.</p>'}
<h2>HTML</h2>
${htmlPart}
<h2>Headers</h2>
<table>
${headerRows}
</table>`,
  );
}

/** The page for a message id the mailbox does not hold (never held, dropped, or cleared). */
export function renderMessageNotFound(): string {
  return page('Not found — ServerPOS mail', '<p><a href="/">← Inbox</a></p><h1>Message not found</h1><p>It may have been deleted, or dropped as the oldest when the inbox was full.</p>');
}

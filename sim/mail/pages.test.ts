import { describe, expect, it } from 'vitest';
import { escapeHtml, linkifyText } from './pages';

describe('escapeHtml', () => {
  it('escapes every character that can end text or an attribute value', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });
});

describe('linkifyText', () => {
  it('links http and https URLs, escaping both the href and the shown text', () => {
    expect(linkifyText('Go to https://pos.example/v?a=1&b="2"')).toBe(
      'Go to <a href="https://pos.example/v?a=1&#38;b=" target="_blank" rel="noopener noreferrer">https://pos.example/v?a=1&#38;b=</a>&#34;2&#34;',
    );
    expect(linkifyText('http://localhost:3000/x')).toContain('<a href="http://localhost:3000/x"');
  });

  it('leaves sentence punctuation after a link outside it', () => {
    expect(linkifyText('See https://pos.example/a. Or (https://pos.example/b), then stop!')).toBe(
      'See <a href="https://pos.example/a" target="_blank" rel="noopener noreferrer">https://pos.example/a</a>. Or (<a href="https://pos.example/b" target="_blank" rel="noopener noreferrer">https://pos.example/b</a>), then stop!',
    );
  });

  it('never links other schemes and escapes the rest of the text', () => {
    expect(linkifyText('javascript:alert(1) data:text/html,<script>x</script> ftp://host/file')).toBe(
      'javascript:alert(1) data:text/html,&#60;script&#62;x&#60;/script&#62; ftp://host/file',
    );
  });

  it('leaves a scheme without a valid URL after it as text', () => {
    expect(linkifyText('broken: http://[::1 and https://')).toBe('broken: http://[::1 and https://');
  });
});

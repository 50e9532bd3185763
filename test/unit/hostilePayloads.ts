/**
 * The hostile payload corpus of the adversarial suites (issue 16): markdown, HTML, control and bidi
 * payloads without blanks (each stays one cell), and a valid value per field kind to surround them.
 */
import type { FieldSpec } from '../../server/src/catalog/fields';

/** Every payload holds this marker, so the checks can find where its text ended up. */
export const MARKER = 'PWN';

/** Payloads without blanks (each stays one cell); the tokenizer splits on spaces and tabs. */
export const PAYLOADS: readonly string[] = [
  `![${MARKER}](https://evil.example/pixel.png)`,
  `[${MARKER}](https://evil.example/)`,
  `[${MARKER}][r]`,
  `[r]:https://evil.example/${MARKER}`,
  `<img/src=https://evil.example/${MARKER}.png>`,
  `<script>${MARKER}()</script>`,
  `<a/href=javascript:${MARKER}()>x</a>`,
  `<https://evil.example/${MARKER}>`,
  `https://evil.example/${MARKER}`,
  `www.evil.example/${MARKER}`,
  `${MARKER}@evil.example`,
  `\`${MARKER}\``,
  `\`\`\`${MARKER}`,
  `\`\`${MARKER}![x](https://evil.example/p.png)\``,
  `\`${MARKER}\`\`![x](https://evil.example/p.png)\`\`\``,
  `\\![${MARKER}](https://evil.example/p.png)`,
  `**${MARKER}**`,
  `__${MARKER}__`,
  `~~${MARKER}~~`,
  `#${MARKER}`,
  `>${MARKER}`,
  `|${MARKER}|`,
  `$(alert)${MARKER}`,
  `&lt;img&gt;${MARKER}&#60;`,
  `10.0.0.1](https://evil.example/${MARKER})`,
  `[::1]:443](https://evil.example/${MARKER})`,
  `%0A%0A![${MARKER}](https://evil.example/p.png)`,
  `%60%60%0A%0A[${MARKER}](https://evil.example/)`,
  `\x1b[31m${MARKER}\x1b[0m`,
  `\x1b]0;${MARKER}\x07`,
  `\x00\x08\x7f\x9b${MARKER}`,
  `\u202e${MARKER}\u202c`,
  `\u2066${MARKER}\u2069\u200f`,
  `\u2028${MARKER}\u2029`,
  `\u000b\u000c${MARKER}`,
  `${MARKER}${'![x](https://evil.example/p.png)'.repeat(200)}`,
  `${MARKER}${'`'.repeat(3000)}`,
];

/** A value that is valid for a field, so that the rest of the record reads as it should. */
export function validValue(spec: FieldSpec | undefined): string {
  if (!spec) return '-';
  switch (spec.kind) {
    case 'version': return spec.family === 'tgw' ? '6' : '5';
    case 'accountId': return '123456789010';
    case 'resourceId': return `${spec.idPrefixes?.[0] ?? 'eni-'}0123456789abcdef0`.replace('--', '-');
    case 'address': return spec.name.includes('dst') ? '10.0.0.2' : '10.0.0.1';
    case 'port': return spec.name.includes('dst') ? '22' : '20641';
    case 'protocol': return '6';
    case 'count': return '20';
    case 'time': return spec.name === 'end' ? '1418530070' : '1418530010';
    case 'enum': return spec.values?.[0]?.value ?? '-';
    case 'tcpFlags': return '18';
    case 'trafficPath': return '1';
    case 'region': return 'us-east-1';
    case 'azId': return 'use1-az1';
    case 'awsService': return 'AMAZON';
    case 'arn': return 'arn:aws:ecs:us-east-1:123456789010:cluster/x';
    case 'text': return 'x';
  }
}


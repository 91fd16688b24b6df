/**
 * Independent check that rendered HTML cannot run script or load active content: the elements,
 * attributes and URL schemes a browser would act on. Used on what the API answers, so it does
 * not trust the renderer's own tests.
 */
const DANGEROUS_TAGS =
  /<\s*(script|iframe|frame|frameset|object|embed|applet|form|input(?![^>]*type="checkbox")|button|textarea|select|base|meta|link|style|svg|math|template|noscript|xmp|plaintext)\b/i;

function decode(value: string): string {
  return value
    .replace(/&#x([0-9a-f]+);?/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);?/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replaceAll('&colon;', ':')
    .replaceAll('&tab;', '\t')
    .replaceAll('&newline;', '\n')
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&');
}

/** Every reason `html` is not inert; empty when it is. */
export function dangers(html: string): string[] {
  const found: string[] = [];
  const tag = DANGEROUS_TAGS.exec(html);
  if (tag) found.push(`element <${tag[1]}>`);
  for (const match of html.matchAll(/<[a-z][^>]*>/gi)) {
    const element = match[0];
    for (const attr of element.matchAll(/\s([^\s="'>/]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/g)) {
      const name = (attr[1] ?? '').toLowerCase();
      const value = decode((attr[2] ?? '').replace(/^["']|["']$/g, ''));
      if (name.startsWith('on')) found.push(`handler ${name}`);
      if (['style', 'srcdoc', 'formaction', 'action', 'xlink:href', 'background', 'dynsrc', 'lowsrc'].includes(name)) {
        found.push(`attribute ${name}`);
      }
      if (['href', 'src', 'cite', 'poster', 'data'].includes(name)) {
        // Browsers ignore control characters and spaces inside a URL's scheme.
        // eslint-disable-next-line no-control-regex
        const scheme = /^([^:/?#]*):/.exec(value.replace(/[\u0000-\u0020]/g, ''))?.[1]?.toLowerCase();
        if (!scheme || !['http', 'https', 'mailto'].includes(scheme))
          found.push(`${name} with scheme ${scheme ?? '(relative)'}`);
      }
    }
  }
  return found;
}

/** Classic payloads: script, handlers, javascript: in every spelling, data:, frames, SVG/MathML, base, meta, styles. */
export const XSS_PAYLOADS: readonly string[] = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=https://evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<body onload=alert(1)>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<svg><a xlink:href="javascript:alert(1)"><text x="0" y="20">x</text></a></svg>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  '<math href="javascript:alert(1)">x</math>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](&#106;avascript:alert(1))',
  '[click](java\tscript:alert(1))',
  '[click](  javascript:alert(1))',
  '[click][ref]\n\n[ref]: javascript:alert(1)',
  '<a href="javascript&colon;alert(1)">x</a>',
  '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;:alert(1)">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)',
  '<iframe src="https://evil.example"></iframe>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<embed src="https://evil.example/x.swf">',
  '<form action="https://evil.example"><button>go</button></form>',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=https://evil.example">',
  '<style>body{background:url("javascript:alert(1)")}</style>',
  '<p style="background:url(javascript:alert(1))">x</p>',
  '<div onclick="alert(1)">click</div>',
  '<img src="x" style="x:expression(alert(1))">',
  '<a href="https://ok.example" onmouseover="alert(1)">ok</a>',
  '<details open ontoggle=alert(1)>',
  '<input autofocus onfocus=alert(1)>',
  '<video><source onerror="alert(1)"></video>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<template><script>alert(1)</script></template>',
  '<<script>script>alert(1)<</script>/script>',
  '<img src=`x`onerror=alert(1)>',
  '<a href="\x01javascript:alert(1)">x</a>',
];

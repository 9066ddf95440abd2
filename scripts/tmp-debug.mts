import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { parseDocument, extractLines } from '../src/ingest/document.ts';
const original = readFileSync(process.argv[2]!, 'utf8');
const d = JSON.parse(process.argv[3]!);
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const html = (text: string) => { const out: string[] = ['<meta charset="utf-8"><style>table{border-collapse:collapse} td{border:1px solid #000;padding:2px;font-size:9pt}</style>']; let t = false; for (const line of text.split('\n')) { if (line.includes('\t')) { if (!t) out.push('<table>'); t = true; out.push(`<tr>${line.split('\t').map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`); } else { if (t) out.push('</table>'); t = false; out.push(`<p>${esc(line)}</p>`); } } if (t) out.push('</table>'); return out.join('\n'); };
const isV = (c: string) => /^[+-]?\d+(?:\.\d+)?$/.test(c.trim());
function damage(text: string) {
  const lines = text.split('\n'); const rows = lines.flatMap((l, i) => l.includes('\t') && l.split('\t').filter(isV).length >= 2 ? [i] : []);
  const at = rows[d.row % rows.length] ?? 0; const cells = (lines[at] ?? '').split('\t'); const vi = cells.flatMap((c, i) => (isV(c) ? [i] : []));
  const target = vi[d.cell % vi.length] ?? 0; const [removed] = d.kind === 'duplicate' ? [cells[target] ?? ''] : cells.splice(target, 1);
  if (d.kind === 'duplicate') cells.splice(target, 0, removed ?? ''); lines[at] = cells.join('\t'); console.log('FROM', JSON.stringify(lines[at]));
  if (d.kind === 'move') { const other = rows[(d.row + 1 + (d.to % Math.max(1, rows.length - 1))) % rows.length] ?? at; const oc = (lines[other] ?? '').split('\t'); oc.splice(1 + (d.to % Math.max(1, oc.length - 1)), 0, removed ?? ''); lines[other] = oc.join('\t'); console.log('TO', JSON.stringify(lines[other])); }
  return lines.join('\n');
}
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const render = async (t: string) => { const p = await browser.newPage(); await p.setContent(html(t)); const b = await p.pdf({ format: 'A4' }); await p.close(); return b; };
const base = await parseDocument(await render(original)); const truth = new Map((base.result as any).report.cells.map((c: any) => [c.code, c.value]));
const pdf = await render(damage(original));
const { result } = await parseDocument(pdf, { allowPartial: false }); const rep: any = result.ok ? result.report : (result as any).partial;
const wrong = (rep?.cells ?? []).filter((c: any) => c.status === 'REPORTED' && c.value !== truth.get(c.code));
for (const c of wrong) console.log('WRONG', c.code, c.value, truth.get(c.code), c.line);
const ex: any = await extractLines(pdf);
const ln = wrong[0]?.line; if (ln) for (const l of ex.lines.filter((l: any) => Math.abs(l.number - ln) <= 1)) console.log('LINE', l.number, JSON.stringify(l.cells ?? l.text));
await browser.close();

#!/usr/bin/env bash
# Regenerates test/fixtures/formats/ from the example V2021 report: the same report as
# tab text, pipe text, GBK text, and Word and PDF made by LibreOffice from the
# hand-written report.html. The binaries are committed, so this only needs running
# when the example or the HTML changes.
# Needs: LibreOffice Writer and a CJK font (Debian: apt-get install -y
# libreoffice-writer-nogui fonts-wqy-microhei), iconv, node.
set -euo pipefail
cd "$(dirname "$0")/.."
out=test/fixtures/formats
source=test/fixtures/reports/example-county-health-2022.txt

cp "$source" "$out/report.tab.txt"
iconv -f UTF-8 -t GB18030 "$source" > "$out/report.gbk.txt"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node - "$source" "$out/report.pipe.txt" "$out/report.html" "$work/report.html" <<'JS'
const fs = require('node:fs');
const [source, pipe, html, document] = process.argv.slice(2);
// Tables as "| a | b | c |" rows.
const text = fs.readFileSync(source, 'utf8');
fs.writeFileSync(
  pipe,
  text.split('\n').map((l) => (l.includes('\t') ? `| ${l.split('\t').join(' | ')} |` : l)).join('\n'),
);
// A published Word or PDF file has no site navigation, and its narrow table-4 columns
// print their headers one character per line.
const page = fs
  .readFileSync(html, 'utf8')
  .replace(/<!-- page-chrome:start -->[\s\S]*?<!-- page-chrome:end -->\n?/g, '')
  .replace(/<td( rowspan="2")?>(结果维持|结果纠正|其他结果|尚未审结)<\/td>/g, (_, span, label) =>
    `<td${span ?? ''}>${[...label].join('<br>')}</td>`,
  );
fs.writeFileSync(document, page);
JS
profile="file://$work/profile"
for target in 'docx:MS Word 2007 XML' 'pdf:writer_pdf_Export'; do
  soffice -env:UserInstallation="$profile" --headless --infilter="HTML (StarWriter)" \
    --convert-to "$target" --outdir "$work" "$work/report.html" > /dev/null 2>&1
done
cp "$work/report.docx" "$work/report.pdf" "$out/"
ls -l "$out"

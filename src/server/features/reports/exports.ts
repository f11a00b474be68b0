import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import type { Output } from './reports.schema.ts';
import { brusselsDateTime } from '../../core/brussels-time.ts';

/** The files of a quarterly output. Aggregates only: the Output type holds no person, so neither can these. */
const MODULE_NL: Record<string, string> = {
  'victim-support-bereavement': 'Slachtofferhulp en rouw',
  'psychosocial-support': 'Psychosociale ondersteuning',
  'relationship-family': 'Relatie en gezin',
  'family-violence': 'Intrafamiliaal geweld',
  youth: 'Jongeren (JAC)',
  other: 'Andere',
};
const HEADERS = [
  'Module',
  'VTE',
  'Norm per VTE per jaar',
  'Norm kwartaal',
  'Trajecten actief',
  'Nieuwe trajecten',
  'Afgesloten trajecten',
  'Afgesloten: volledig',
  'Afgesloten: gedeeltelijk',
  'Afgesloten: niet',
  'Ratio',
] as const;
type OtherKey =
  | 'proactiveContacts'
  | 'supportStarted'
  | 'groupSessions'
  | 'groupParticipants'
  | 'facilitiesContacted'
  | 'facilitiesAdvised'
  | 'facilitiesVisited';
const OTHER: [OtherKey, string][] = [
  ['proactiveContacts', 'Proactieve contacten'],
  ['supportStarted', 'Hulp gestart na outreach'],
  ['groupSessions', 'Groepssessies'],
  ['groupParticipants', 'Deelnemers groepssessies'],
  ['facilitiesContacted', 'Voorzieningen gecontacteerd'],
  ['facilitiesAdvised', 'Voorzieningen geadviseerd'],
  ['facilitiesVisited', 'Voorzieningen bezocht'],
];

type Value = string | number | null;
function rows(output: Output): Value[][] {
  return output.modules.map((m) => [
    MODULE_NL[m.module] ?? m.module,
    m.fte,
    m.normPerFte,
    m.norm,
    m.trajectories,
    m.newTrajectories,
    m.finishedTrajectories,
    m.finishedByOutcome.fully,
    m.finishedByOutcome.partly,
    m.finishedByOutcome.not,
    m.ratio,
  ]);
}

/**
 * A number as a Belgian reads and a Belgian Excel parses it from a `;` CSV: decimal comma, no thousands separator
 * ("2,5", "43,75", "1234"). A dot would make Excel read 2.5 as a date or as text. XLSX keeps typed numbers instead.
 */
const dutchNumber = new Intl.NumberFormat('nl-BE', { maximumFractionDigits: 2, useGrouping: false });
const dutch = (v: Value): Value => (typeof v === 'number' ? dutchNumber.format(v) : v);

const versionLabel = (output: Output) => (output.version === null ? 'actuele cijfers' : `versie ${output.version}`);
const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

function header(output: Output, generatedAt: Date): [string, string][] {
  return [
    ['Organisatie', output.organizationName],
    ['Kwartaal', output.quarter],
    ['Periode', `${dmy(output.period.from)} – ${dmy(output.period.to)}`],
    ['Versie', versionLabel(output)],
    ['Aangemaakt', brusselsDateTime(generatedAt)],
  ];
}

const csvCell = (v: Value) => {
  const s = v === null || v === undefined ? '' : String(v);
  // a leading = + - @ would be a formula in a spreadsheet: quote it away
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[";\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** CSV with `;` and decimal commas (what a Belgian Excel opens), the header block as leading lines. */
export function outputCsv(output: Output, generatedAt = new Date()): string {
  const lines = [
    ...header(output, generatedAt).map((kv) => kv.map(csvCell).join(';')),
    '',
    HEADERS.map(csvCell).join(';'),
    ...rows(output).map((r) => r.map((v) => csvCell(dutch(v))).join(';')),
    '',
    ...OTHER.map(([k, label]) => [label, output[k]].map((v) => csvCell(dutch(v))).join(';')),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** XLSX with typed cells: numbers are numbers, "<5" stays text, the generated time is a date. */
export async function outputXlsx(output: Output, generatedAt = new Date()): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Korte Lijn';
  book.created = generatedAt;
  const sheet = book.addWorksheet(`Output ${output.quarter}`);
  sheet.addRow(['Organisatie', output.organizationName]);
  sheet.addRow(['Kwartaal', output.quarter]);
  sheet.addRow(['Periode', new Date(`${output.period.from}T00:00:00Z`), new Date(`${output.period.to}T00:00:00Z`)]);
  sheet.getRow(3).getCell(2).numFmt = 'dd/mm/yyyy';
  sheet.getRow(3).getCell(3).numFmt = 'dd/mm/yyyy';
  sheet.addRow(['Versie', output.version ?? 'actuele cijfers']);
  sheet.addRow(['Aangemaakt', generatedAt]);
  sheet.getRow(5).getCell(2).numFmt = 'dd/mm/yyyy hh:mm';
  sheet.addRow([]);
  const head = sheet.addRow([...HEADERS]);
  head.font = { bold: true };
  for (const r of rows(output)) sheet.addRow(r.map((v) => (v === null ? null : v)));
  sheet.addRow([]);
  for (const [k, label] of OTHER) sheet.addRow([label, output[k] as number | string]);
  sheet.getColumn(1).width = 30;
  for (let c = 2; c <= HEADERS.length; c++) sheet.getColumn(c).width = 14;
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A one-page PDF a director signs: organisation, period, version, the table, a place to sign. */
export function outputPdf(output: Output, generatedAt = new Date()): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      layout: 'landscape',
      margin: 40,
      info: { Title: `Output ${output.quarter}` },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(16).text(`Kwartaaloutput ${output.quarter}`);
    doc.moveDown(0.3).fontSize(11);
    for (const [k, v] of header(output, generatedAt)) doc.text(`${k}: ${v}`);
    doc.moveDown();
    const widths = [150, 45, 60, 55, 55, 55, 60, 55, 60, 50, 45];
    const table: Value[][] = [[...HEADERS], ...rows(output).map((r) => r.map(dutch))];
    doc.fontSize(8);
    for (const [i, r] of table.entries()) {
      const y = doc.y;
      let x = 40;
      for (const [c, v] of r.entries()) {
        doc.font(i === 0 ? 'Helvetica-Bold' : 'Helvetica').text(v === null ? '–' : String(v), x, y, {
          width: widths[c]! - 4,
        });
        x += widths[c]!;
      }
      doc.x = 40;
      doc.y = Math.max(doc.y, y + (i === 0 ? 22 : 12));
    }
    doc.moveDown().fontSize(10).font('Helvetica');
    for (const [k, label] of OTHER) doc.text(`${label}: ${String(output[k])}`, 40);
    doc.moveDown(2);
    doc.text('Voor echt verklaard,', 40);
    doc.moveDown(2);
    doc.text('Naam en handtekening directeur: ______________________________     Datum: ____/____/________', 40);
    doc.end();
  });
}

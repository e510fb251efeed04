import { readPartnerFiles } from '../../adapters/partners/partner-directory.js';
import type { DocumentSupport } from '../../core/partner.js';
import type { CliCommand } from '../command.js';
import { deliveryHealthColumns } from '../delivery-health-columns.js';
import { dataDirFrom, partnersDirFrom } from '../../config.js';
import { parseCommandLine } from '../parse-command-line.js';
import type { PartnerColumnSource } from '../partner-columns.js';

const usage = `Usage: swx partners list [--wide] [--json] [--data-dir <dir>]

Lists the parties in $SWX_PARTNERS_DIR (default: the repository's partners/) with their kind, state, mode and
how many document types each receives from swx and sends to it, and, from the database in the data dir, each
gateway's delivery health: messages queued, dead letters, the last delivery, and the circuit as the running
service last recorded it (consecutive failures, the last failure). The table fits 120 columns; --wide adds the
country and lists the document types. --json prints the validated partner files as a JSON array, with the
same figures.`;

/** The terminal width the default table is made to fit. */
export const PARTNERS_LIST_WIDTH = 120;
const DOCUMENTS_WIDTH = 32;

/**
 * Builds `swx partners list`, with extra columns from `columns` (none by default).
 * @example export default createPartnersListCommand({ columns: deliveryHealthColumns })
 */
export function createPartnersListCommand(options: { readonly columns?: PartnerColumnSource } = {}): CliCommand {
  return {
    name: 'partners list',
    usage,
    async run(argv, io) {
      const parsed = parseCommandLine(
        'swx partners list',
        argv,
        { options: { json: { type: 'boolean' }, wide: { type: 'boolean' }, 'data-dir': { type: 'string' } }, allowPositionals: false },
        io,
      );
      if (!parsed) return 2;
      const { values } = parsed;
      const partners = readPartnerFiles(partnersDirFrom(io.env));
      const source = await options.columns?.({ dataDir: dataDirFrom(io.env, values['data-dir']), partners });
      const extra = source?.columns ?? [];
      if (values.json === true) {
        const rows = partners.map((partner) => ({
          ...partner,
          ...Object.fromEntries(extra.map((column) => [column.key, column.json ? column.json(partner) : column.value(partner)])),
        }));
        io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return 0;
      }
      const wide = values.wide === true;
      const documents = (list: readonly DocumentSupport[]) => (wide ? wrap(list) : [String(list.length)]);
      const headers = ['ID', 'KIND', ...(wide ? ['COUNTRY'] : []), 'STATE', 'MODE', 'RECEIVES', 'SENDS', ...extra.map((column) => column.header)];
      const rows = partners.map((partner) => [
        [partner.id],
        [partner.kind],
        ...(wide ? [[partner.country]] : []),
        [partner.state],
        [partner.mode],
        documents(partner.documents.receive),
        documents(partner.documents.send),
        ...extra.map((column) => [String(column.value(partner) ?? '-')]),
      ]);
      io.stdout.write(renderTable(headers, rows));
      const notes = [
        ...(wide ? [] : ['RECEIVES, SENDS: how many document types; swx partners list --wide lists them, with each country.']),
        ...(source?.notes ?? []),
      ];
      for (const note of notes) io.stdout.write(`\n${foldLine(note, PARTNERS_LIST_WIDTH).join('\n')}`);
      if (notes.length > 0) io.stdout.write('\n');
      return 0;
    },
  };
}

/** Document types, with their versions when other than 1 alone, folded into lines of at most DOCUMENTS_WIDTH. */
function wrap(documents: readonly DocumentSupport[]): string[] {
  const names = documents.map((entry) => (entry.versions.join() === '1' ? entry.type : `${entry.type}@${entry.versions.join('+')}`));
  if (names.length === 0) return ['-'];
  const lines: string[] = [];
  for (const name of names) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + name.length + 2 <= DOCUMENTS_WIDTH) lines[lines.length - 1] = `${last}, ${name}`;
    else lines.push(name);
  }
  return lines.map((line, index) => (index < lines.length - 1 ? `${line},` : line));
}

/** A note folded at spaces into lines of at most `width` characters (a longer word stays whole). */
function foldLine(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

function renderTable(headers: readonly string[], rows: readonly (readonly string[])[][]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.flatMap((row) => (row[column] ?? []).map((line) => line.length))));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [line(headers)];
  for (const row of rows) {
    const height = Math.max(...row.map((cell) => cell.length));
    for (let index = 0; index < height; index += 1) out.push(line(row.map((cell) => cell[index] ?? '')));
  }
  return `${out.join('\n')}\n`;
}

export default createPartnersListCommand({ columns: deliveryHealthColumns });

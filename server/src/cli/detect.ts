/** `flowlog detect`: the format found at the start of each file; reads only as much as detection needs. */
import { layoutById } from '../catalog/layouts';
import type { FlowLogFormat } from '../service/formatModel';
import { FlowLogStream, getFormatLabel } from '../service/languageService';
import type { ParsedArgs } from './args';
import { explicitFormat, feedInput, noteExplicitUnused, outputFormat, type Io } from './run';
import { terminalSafeLines } from './terminal';

export interface DetectedFile {
  file: string;
  label: string;
  kind: FlowLogFormat['kind'];
  source: FlowLogFormat['source'];
  /** 1-based line of the header or directive, when the format was declared. */
  line: number | null;
  confidence: number;
  layout: { id: string; label: string } | null;
  fields: string[];
  ambiguousColumns: { column: number; name: string }[];
}

export async function detectCommand(args: ParsedArgs, io: Io): Promise<number> {
  const format = outputFormat(args, ['text', 'json'] as const);
  const fields = explicitFormat(args);
  let failed = false;
  const found: DetectedFile[] = [];
  for (const path of args.files) {
    if (io.stdout.closed) break;
    const stream = new FlowLogStream({}, { explicitFormat: fields, validate: false });
    const result = await feedInput(io, path, 'detect', (text) => {
      stream.push(text);
      return stream.format === undefined;
    }, false);
    if (result.failure) {
      failed = true;
      continue;
    }
    if (!stream.format) stream.end();
    noteExplicitUnused(io, result.name, fields, stream.format as FlowLogFormat);
    const detected = describe(result.name, stream.format as FlowLogFormat);
    if (format === 'json') found.push(detected);
    else {
      io.stdout.write(detectText(detected));
      // Each file's lines before any message about the next one.
      io.stdout.flush();
    }
  }
  if (format === 'json') io.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
  io.stdout.flush();
  return failed ? 2 : 0;
}

function describe(file: string, format: FlowLogFormat): DetectedFile {
  const layout = format.layoutId ? layoutById(format.layoutId) : undefined;
  return {
    file,
    label: getFormatLabel(format),
    kind: format.kind,
    source: format.source,
    line: format.line === undefined ? null : format.line + 1,
    confidence: Math.round(format.confidence * 100) / 100,
    layout: layout ? { id: layout.id, label: layout.label } : null,
    fields: [...format.names],
    ambiguousColumns: format.ambiguousColumns.map((column) => ({ column: column + 1, name: format.names[column] })),
  };
}

export function detectText(d: DetectedFile): string {
  const ambiguous = d.ambiguousColumns.length === 0 ? 'none' : d.ambiguousColumns.map((a) => `${a.column} (${a.name}?)`).join(', ');
  // The file name and the header's names are anyone's text: escaped.
  return terminalSafeLines([
    `${d.file}: ${d.label}`,
    `  kind        ${d.kind}`,
    `  source      ${d.source}${d.line === null ? '' : ` (line ${d.line})`}`,
    `  confidence  ${Math.round(d.confidence * 100)}%`,
    `  layout      ${d.layout ? `${d.layout.id} (${d.layout.label})` : 'none'}`,
    `  ambiguous   ${ambiguous}`,
    `  fields      ${d.fields.join(' ')}`,
    '',
  ]);
}

/**
 * Service results as LSP data. Problems carry UTF-16 columns within a line, as LSP does, so the
 * conversion is field by field; the fix hint travels in `data` for the code action handler.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import type { DocumentFormats } from '../service/formatModel';
import { getFormatLabel, isRecognised } from '../service/languageService';
import type { Severity } from '../service/rules';
import type { FormatInfo } from './protocol';
import type { Problem } from '../service/problems';

/** Where the README documents each rule; the anchor is `rule-<code>`. */
export const RULES_DOCUMENTATION = 'https://github.com/flowlog/flowlog/blob/main/README.md';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const converted = new WeakMap<Problem, Diagnostic>();

export function toDiagnostic(problem: Problem): Diagnostic {
  let diagnostic = converted.get(problem);
  if (diagnostic) return diagnostic;
  diagnostic = {
    range: {
      start: { line: problem.line, character: problem.start },
      end: { line: problem.endLine ?? problem.line, character: problem.end },
    },
    severity: SEVERITY[problem.severity],
    code: problem.code,
    codeDescription: { href: `${RULES_DOCUMENTATION}#rule-${problem.code}` },
    source: 'flowlog',
    message: problem.message,
  };
  if (problem.fix) diagnostic.data = problem.fix;
  converted.set(problem, diagnostic);
  return diagnostic;
}

/** A document's format as the client shows it (status bar, format-changed notification). */
export function toFormatInfo(uri: string, formats: DocumentFormats): FormatInfo {
  const format = formats.primary;
  return {
    uri,
    label: getFormatLabel(format),
    kind: format.kind,
    fields: format.names.length,
    source: format.source,
    confidence: format.confidence,
    ambiguousColumns: [...format.ambiguousColumns],
    header: format.source === 'header' || format.source === 'directive',
    recognised: isRecognised(formats),
    layoutId: format.layoutId,
  };
}

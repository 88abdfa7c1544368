// The only place the plain specs from mapping.ts become vscode objects: ranges, URIs, diagnostics, edits.
import * as vscode from 'vscode';
import type { TextEdit } from '../analysis/types';
import type { SourceLocation, SourceRange } from '../model/types';
import { DiagnosticSpec, SOURCE } from './mapping';

/** The path we hand the parser for a document: the file system path for files, else the URI text. */
export function fileKey(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? uri.fsPath : uri.toString();
}

export function uriOf(file: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:\/\//i.test(file) ? vscode.Uri.parse(file) : vscode.Uri.file(file);
}

export function toRange(r: SourceRange): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function toLocation(loc: SourceLocation): vscode.Location {
  return new vscode.Location(uriOf(loc.file), toRange(loc.range));
}

const SEVERITY: Record<DiagnosticSpec['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

export function ruleDocUri(extensionUri: vscode.Uri, code: string): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${code}.md`);
}

export function toDiagnostic(spec: DiagnosticSpec, extensionUri: vscode.Uri): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(spec.range), spec.message, SEVERITY[spec.severity]);
  d.source = SOURCE;
  d.code = spec.rule ? { value: spec.code, target: ruleDocUri(extensionUri, spec.code) } : spec.code;
  if (spec.related.length)
    d.relatedInformation = spec.related.map((r) => new vscode.DiagnosticRelatedInformation(toLocation(r.location), r.message));
  return d;
}

export function codeOf(d: vscode.Diagnostic): string | undefined {
  if (typeof d.code === 'string' || typeof d.code === 'number') return String(d.code);
  return d.code ? String(d.code.value) : undefined;
}

export function toWorkspaceEdit(byFile: Map<string, TextEdit[]>): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const [file, edits] of byFile) {
    we.set(
      uriOf(file),
      edits.map((e) => new vscode.TextEdit(toRange(e.range), e.newText)),
    );
  }
  return we;
}

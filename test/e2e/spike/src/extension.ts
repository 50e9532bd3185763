import * as vscode from 'vscode';

// Throwaway extension for the e2e harness spike: a hover provider for plaintext
// that echoes the hovered word.
export function activate(context: vscode.ExtensionContext): void {
	context.subscriptions.push(
		vscode.languages.registerHoverProvider('plaintext', {
			provideHover(document, position) {
				const range = document.getWordRangeAtPosition(position);
				if (!range) {
					return undefined;
				}
				return new vscode.Hover(new vscode.MarkdownString(`spike-hover: **${document.getText(range)}**`), range);
			},
		}),
	);
}

export function deactivate(): void {}

import * as vscode from 'vscode';

// The browser has no node `assert`; keep the helpers tiny.
function ok(value: unknown, message: string): asserts value {
	if (!value) {
		throw new Error(message);
	}
}

function hoverText(hovers: vscode.Hover[]): string {
	return hovers
		.flatMap((h) => h.contents)
		.map((c) => (typeof c === 'string' ? c : c.value))
		.join('\n');
}

async function openWorkspaceFile(name: string): Promise<vscode.TextDocument> {
	const folder = vscode.workspace.workspaceFolders?.[0];
	ok(folder, 'expected a workspace folder (run with --folder test/e2e/spike/workspace)');
	const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, name));
	await vscode.window.showTextDocument(doc);
	return doc;
}

suite('spike: hover in VS Code', () => {
	test('environment', () => {
		console.log(`    vscode ${vscode.version}, uiKind=${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'}, appName=${vscode.env.appName}`);
		ok(vscode.extensions.getExtension('flowlog-test.flowlog-e2e-spike'), 'spike extension is loaded');
	});

	test('workspace file opens as plaintext', async () => {
		const doc = await openWorkspaceFile('hello.txt');
		ok(doc.languageId === 'plaintext', `languageId is ${doc.languageId}`);
		ok(doc.lineAt(0).text === 'hello flowlog spike', `first line is ${JSON.stringify(doc.lineAt(0).text)}`);
	});

	test('executeHoverProvider returns the spike hover', async () => {
		const doc = await openWorkspaceFile('hello.txt');
		const position = new vscode.Position(1, 20); // inside "ACCEPT"
		let hovers: vscode.Hover[] = [];
		// The extension activates on onLanguage:plaintext; give it a moment.
		for (let i = 0; i < 50 && hovers.length === 0; i++) {
			hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position)) ?? [];
			if (hovers.length === 0) {
				await new Promise((r) => setTimeout(r, 100));
			}
		}
		const text = hoverText(hovers);
		console.log(`    hover: ${JSON.stringify(text)}`);
		ok(text.includes('spike-hover: **ACCEPT**'), `unexpected hover ${JSON.stringify(text)}`);
	});

	test('untitled plaintext document gets a hover too', async () => {
		const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'REJECT 10.0.0.1' });
		const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, new vscode.Position(0, 2))) ?? [];
		ok(hoverText(hovers).includes('spike-hover: **REJECT**'), `unexpected hover ${JSON.stringify(hoverText(hovers))}`);
	});
});

#!/usr/bin/env node
// Security check: no network access and no dynamic code in our sources, no eval in the bundles,
// a strict Content-Security-Policy on every webview, and truthful workspace-trust and
// virtual-workspace declarations in package.json.
//
//   node scripts/check-security.mjs [--root DIR] [--json]
//
// Scans server/src and client/src (comments are skipped, strings are not: a URL or code in a
// string is still found) and dist/*.js (eval and new Function only, reported with the module
// they come from, since the bundles hold library code too). Exit 0 when there is no error,
// 1 when there are errors, 2 on a usage error.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const usage = 'usage: node scripts/check-security.mjs [--root DIR] [--json]';
const SOURCE_DIRS = ['server/src', 'client/src'];
const SOURCE_FILE = /\.(?:[cm]?[jt]s|tsx)$/;
/** Only the CLI may start processes (it never does today; `flowlog` reads files and stdin). */
const CHILD_PROCESS_ALLOWED = 'server/src/cli/';

/** Rules for our own sources: [id, pattern, message]. */
const SOURCE_RULES = [
  ['dynamic-code', /\beval\s*\(/, 'eval() runs text as code'],
  ['dynamic-code', /\bnew\s+Function\s*\(/, 'new Function() runs text as code'],
  ['dynamic-code', /(?<![\w$.])Function\s*\(\s*['"`]/, 'Function() runs text as code'],
  ['dynamic-code', /\bset(?:Timeout|Interval)\s*\(\s*['"`]/, 'a timer with a string runs it as code'],
  ['dynamic-code', /['"](?:node:)?vm['"]/, "the 'vm' module runs text as code"],
  ['dynamic-code', /\bimportScripts\s*\(/, 'importScripts() loads and runs code from a URL'],
  ['network', /\bfetch\s*\(/, 'fetch() is network access'],
  ['network', /\bXMLHttpRequest\b/, 'XMLHttpRequest is network access'],
  ['network', /\bhttps?\.(?:request|get)\s*\(/, 'http(s).request/get is network access'],
  ['network', /\bnet\.(?:connect|createConnection)\s*\(/, 'net.connect is network access'],
  ['network', /\bWebSocket\b/, 'WebSocket is network access'],
  ['network', /\bEventSource\b/, 'EventSource is network access'],
  ['network', /\bsendBeacon\s*\(/, 'sendBeacon() is network access'],
  ['network', /['"](?:node:)?(?:http|https|http2|net|tls|dgram)['"]/, 'a Node networking module is imported'],
];
const CHILD_PROCESS = /['"](?:node:)?child_process['"]/;
/**
 * The one place that may import `node:net`: the server's `--socket` and `--pipe` transports, which
 * connect to the editor on 127.0.0.1 or a local pipe, as LSP defines them. Nothing else may.
 */
const LOCAL_TRANSPORT = { file: 'server/src/node.ts', line: /^import \{[^}]*\} from 'node:net';$/ };
const BUNDLE_RULES = [
  ['bundle-dynamic-code', /\beval\s*\(/, 'eval()'],
  ['bundle-dynamic-code', /\bnew\s+Function\s*\(/, 'new Function()'],
];
/** Code that puts HTML into a webview. */
const WEBVIEW = /\bcreateWebviewPanel\s*\(|\bregisterWebviewViewProvider\s*\(|\.webview\.html\s*=|\bwebview\.html\s*=/;
const CSP_META = /<meta\s+http-equiv=["']Content-Security-Policy["']\s+content=(["'])(.*?)\1/gi;
/** Settings that name a program or its arguments: a workspace could point them at its own code. */
const EXECUTABLE_SETTING = /(?:path|executable|command|binary|args|serverPath|runtime)$/i;

function parseArgs(argv) {
  const options = { root: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'), json: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--root' && i + 1 < argv.length) options.root = path.resolve(argv[++i]);
    else if (argv[i] === '--json') options.json = true;
    else if (argv[i] === '--help' || argv[i] === '-h') {
      console.log(usage);
      process.exit(0);
    } else {
      console.error(`check-security: unknown argument ${argv[i]}\n${usage}`);
      process.exit(2);
    }
  }
  return options;
}

function walk(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (SOURCE_FILE.test(entry.name)) out.push(full);
  }
  return out;
}

/**
 * The code of each line, comments blanked: whole comment lines, block comments and trailing `//`
 * comments outside quotes. Line based on purpose: a regex literal can never make it skip code.
 */
export function codeLines(source) {
  const lines = source.split(/\r\n|\r|\n/);
  let inBlock = false;
  return lines.map((line) => {
    let code = line;
    if (inBlock) {
      const close = code.indexOf('*/');
      if (close < 0) return '';
      inBlock = false;
      code = ' '.repeat(close + 2) + code.slice(close + 2);
    }
    const trimmed = code.trimStart();
    if (trimmed.startsWith('//') || (trimmed.startsWith('*') && !trimmed.startsWith('*/'))) return '';
    if (trimmed.startsWith('/*')) {
      const open = code.indexOf('/*');
      const close = code.indexOf('*/', open + 2);
      if (close < 0) {
        inBlock = true;
        return '';
      }
      code = ' '.repeat(close + 2) + code.slice(close + 2);
    }
    return stripTrailingComment(code);
  });
}

/** Removes a `// …` comment that follows code, unless the `//` is inside a string. */
function stripTrailingComment(code) {
  let quote = '';
  for (let i = 0; i < code.length; i++) {
    const c = code[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === "'" || c === '"' || c === '`') {
      quote = c;
    } else if (c === '/' && code[i + 1] === '/' && (i === 0 || /\s/.test(code[i - 1]))) {
      return code.slice(0, i);
    }
  }
  return code;
}

function relative(root, file) {
  return path.relative(root, file).split(path.sep).join('/');
}

function checkSources(root, findings) {
  const files = SOURCE_DIRS.flatMap((dir) => walk(path.join(root, dir)));
  for (const file of files) {
    const name = relative(root, file);
    const source = readFileSync(file, 'utf8');
    codeLines(source).forEach((code, index) => {
      if (!code.trim()) return;
      const at = `${name}:${index + 1}`;
      // One finding per rule and line.
      const seen = new Set();
      for (const [rule, pattern, message] of SOURCE_RULES) {
        if (seen.has(rule) || !pattern.test(code)) continue;
        if (rule === 'network' && name === LOCAL_TRANSPORT.file && LOCAL_TRANSPORT.line.test(code.trim())) continue;
        seen.add(rule);
        findings.push({ severity: 'error', rule, at, message: `${message}: ${code.trim().slice(0, 120)}` });
      }
      if (CHILD_PROCESS.test(code) && !name.startsWith(CHILD_PROCESS_ALLOWED)) {
        findings.push({ severity: 'error', rule: 'child-process', at, message: `child_process outside the CLI: ${code.trim().slice(0, 120)}` });
      }
    });
    checkWebview(name, source, findings);
  }
  return files.length;
}

/** A webview must carry a CSP meta tag: default-src 'none', no unsafe-eval, scripts only by nonce or cspSource. */
function checkWebview(name, source, findings) {
  const code = codeLines(source).join('\n');
  if (!WEBVIEW.test(code)) return;
  const policies = [...code.matchAll(CSP_META)].map((match) => match[2]);
  if (policies.length === 0) {
    findings.push({ severity: 'error', rule: 'webview-csp', at: name, message: 'a webview without a <meta http-equiv="Content-Security-Policy"> tag' });
    return;
  }
  for (const policy of policies) {
    const directives = new Map(
      policy
        .split(';')
        .map((part) => part.trim().split(/\s+/))
        .filter((words) => words[0])
        .map(([directive, ...values]) => [directive.toLowerCase(), values]),
    );
    const problem = (message) => findings.push({ severity: 'error', rule: 'webview-csp', at: name, message: `${message}: "${policy}"` });
    if (!(directives.get('default-src') ?? []).includes("'none'")) problem("the policy must start from default-src 'none'");
    if (/'unsafe-eval'/.test(policy)) problem("the policy allows 'unsafe-eval'");
    const scripts = directives.get('script-src') ?? [];
    if (scripts.includes("'unsafe-inline'") || scripts.includes('*') || scripts.some((s) => /^https?:/.test(s))) problem('scripts may come from anywhere or inline');
  }
  if (/enableScripts\s*:\s*true/.test(code) && !policies.some((policy) => /script-src[^;]*(?:'nonce-|cspSource)/.test(policy))) {
    findings.push({ severity: 'error', rule: 'webview-csp', at: name, message: 'scripts are enabled but no script-src with a nonce or webview.cspSource' });
  }
}

/** The module a bundle offset belongs to: esbuild marks each with a `// path` comment line (not when minified). */
function moduleAt(bundle, offset) {
  const marker = /^\/\/ ((?:[\w@.-]+\/)*[\w@.-]+\.(?:[cm]?[jt]s|json))$/gm;
  let current = 'unknown module (minified bundle)';
  for (const match of bundle.matchAll(marker)) {
    if (match.index > offset) break;
    current = match[1];
  }
  return current;
}

function checkBundles(root, findings) {
  const dist = path.join(root, 'dist');
  if (!existsSync(dist)) return 0;
  const bundles = readdirSync(dist).filter((file) => file.endsWith('.js') && statSync(path.join(dist, file)).isFile());
  for (const file of bundles) {
    const bundle = readFileSync(path.join(dist, file), 'utf8');
    for (const [rule, pattern, what] of BUNDLE_RULES) {
      for (const match of bundle.matchAll(new RegExp(pattern.source, 'g'))) {
        const line = bundle.slice(0, match.index).split('\n').length;
        findings.push({ severity: 'error', rule, at: `dist/${file}:${line}`, message: `${what} in ${moduleAt(bundle, match.index)}` });
      }
    }
  }
  return bundles.length;
}

function checkManifest(root, findings) {
  const file = path.join(root, 'package.json');
  const at = 'package.json';
  const error = (rule, message) => findings.push({ severity: 'error', rule, at, message });
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    error('manifest', `cannot read package.json: ${e.message}`);
    return;
  }
  const capabilities = manifest.capabilities ?? {};
  const untrusted = capabilities.untrustedWorkspaces;
  const supported = untrusted?.supported;
  if (untrusted === undefined) {
    error('untrusted-workspaces', 'capabilities.untrustedWorkspaces is not declared');
  } else if (![true, false, 'limited'].includes(supported)) {
    error('untrusted-workspaces', `capabilities.untrustedWorkspaces.supported must be true, false or "limited", not ${JSON.stringify(supported)}`);
  } else if (supported !== true && typeof untrusted.description !== 'string') {
    error('untrusted-workspaces', 'capabilities.untrustedWorkspaces needs a description when support is false or "limited"');
  }
  const restricted = new Set(Array.isArray(untrusted?.restrictedConfigurations) ? untrusted.restrictedConfigurations : []);
  const properties = [manifest.contributes?.configuration ?? []].flat().flatMap((section) => Object.keys(section?.properties ?? {}));
  for (const setting of properties) {
    if (!EXECUTABLE_SETTING.test(setting) || supported === false || restricted.has(setting)) continue;
    error('untrusted-workspaces', `setting ${setting} may name a program, so untrusted support must be "limited" with it in restrictedConfigurations`);
  }
  const virtual = capabilities.virtualWorkspaces;
  const virtualSupported = typeof virtual === 'object' && virtual !== null ? virtual.supported : virtual;
  if (virtual === undefined) {
    error('virtual-workspaces', 'capabilities.virtualWorkspaces is not declared');
  } else if (![true, false, 'limited'].includes(virtualSupported)) {
    error('virtual-workspaces', `capabilities.virtualWorkspaces must be true, false, "limited" or {supported, description}, not ${JSON.stringify(virtual)}`);
  } else if (virtualSupported !== true && typeof virtual?.description !== 'string') {
    error('virtual-workspaces', 'capabilities.virtualWorkspaces needs a description when support is false or "limited"');
  }
  if (virtualSupported === true) {
    // Virtual file systems have no disk paths: the client must read through vscode.workspace.fs.
    for (const source of walk(path.join(root, 'client/src'))) {
      const name = relative(root, source);
      codeLines(readFileSync(source, 'utf8')).forEach((code, index) => {
        if (/['"](?:node:)?fs(?:\/promises)?['"]/.test(code)) {
          findings.push({ severity: 'error', rule: 'virtual-workspaces', at: `${name}:${index + 1}`, message: 'virtual workspace support is declared but the client reads files with Node fs' });
        } else if (/\.fsPath\b/.test(code) && !/\bextension(?:Uri|Path)\b/.test(code)) {
          findings.push({ severity: 'warning', rule: 'virtual-workspaces', at: `${name}:${index + 1}`, message: 'uri.fsPath has no meaning in a virtual workspace' });
        }
      });
    }
  }
}

export function checkSecurity(root) {
  const findings = [];
  const sources = checkSources(root, findings);
  const bundles = checkBundles(root, findings);
  checkManifest(root, findings);
  return { root, sources, bundles, findings, ok: !findings.some((f) => f.severity === 'error') };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const options = parseArgs(process.argv.slice(2));
  const result = checkSecurity(options.root);
  if (options.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    for (const f of result.findings) console.log(`${f.severity} [${f.rule}] ${f.at}: ${f.message}`);
    const errors = result.findings.filter((f) => f.severity === 'error').length;
    console.log(`check-security: ${result.sources} source files, ${result.bundles} bundles: ${errors === 0 ? 'ok' : `${errors} error(s)`}`);
  }
  process.exit(result.ok ? 0 : 1);
}

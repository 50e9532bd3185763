/**
 * Messages between the editor extension (client/src/summary.ts) and the summary webview
 * (client/summary/src/main.ts). Pure types, shared by both sides.
 */
import type { SummaryReport } from '../../../server/src/service/summary/model';

export type ToView =
  | { type: 'report'; report: SummaryReport }
  | { type: 'status'; text: string; busy: boolean }
  /** The log this view summarises, kept in the view's state so that VS Code can restore the view after a reload. */
  | { type: 'source'; uri: string }
  /** Tests: click a mark as a user would (`bar:<canvas id>:<index>[:<series>]` or `row:<table section>:<index>`). */
  | { type: 'click'; target: string };

export type FromView =
  | { type: 'ready' }
  | { type: 'pick'; filter: string; description: string }
  | { type: 'verdict'; verdict: string }
  | { type: 'ask'; top: number; groupBy?: string[] }
  /** Sent after each drawing: how many pixels each chart painted and how many table rows there are (tests read it). */
  | { type: 'rendered'; charts: { id: string; painted: number }[]; tableRows: number; facts: string[] };

/**
 * What the validator needs of a format, worked out once per format: the spec that checks each
 * column, where the cross-field roles sit, and the fast path's plan for proving a line clean.
 */
import type { FieldSpec } from '../catalog/fields';
import type { FlowLogFormat } from './formatModel';
import { fastPlan, type FastPlan } from './fastPath';
import { recordColumns, type RecordColumns } from './recordColumns';
import { MAX_WINDOW_SECONDS, ROLE, ROLES } from './crossFields';

/** Column positions of fields that cross-field checks need, per format. */
export interface ValidationPlan extends RecordColumns {
  format: FlowLogFormat;
  specs: (FieldSpec | undefined)[];
  /** Column names, for messages (a guessed column has a name but no spec). */
  names: readonly string[];
  width: number;
  /** Per column, the role (crossFields.ts ROLE) whose record value it feeds; see validate.ts remember(). */
  roles: Uint8Array;
  /** The one-pass proof of clean lines (fastPath.ts); undefined when the format does not allow it. */
  fast: FastPlan | undefined;
}

const plans = new WeakMap<FlowLogFormat, ValidationPlan>();
/**
 * Plans by field names as well: 100k concatenated S3 objects are 100k formats of the same
 * fields, and a plan each cost seconds. Bounded, as names come from the file.
 */
const plansByNames = new Map<string, ValidationPlan>();
const MAX_PLANS_BY_NAMES = 256;

export function validationPlan(format: FlowLogFormat): ValidationPlan {
  let plan = plans.get(format);
  if (plan) return plan;
  const key = `${format.names.join(' ')}|${format.ambiguousColumns.join(',')}`;
  plan = plansByNames.get(key);
  if (plan && plan.specs.every((spec, column) => spec === undefined || spec === format.fields[column])) {
    plans.set(format, plan);
    return plan;
  }
  // Columns that inference only guessed are not checked: a wrong guess would flag every line.
  const guessed = new Set(format.ambiguousColumns);
  const specs = format.fields.map((spec, column) => (guessed.has(column) ? undefined : spec));
  const columns = recordColumns(format);
  plan = {
    ...columns,
    format,
    specs,
    names: format.names,
    width: format.names.length,
    roles: new Uint8Array(format.names.length),
    fast: undefined,
  };
  for (const role of ROLES) if (columns[role] >= 0) plan.roles[columns[role]] = ROLE[role];
  plan.fast = fastPlan(specs, columns, MAX_WINDOW_SECONDS);
  plans.set(format, plan);
  if (plansByNames.size >= MAX_PLANS_BY_NAMES) plansByNames.clear();
  plansByNames.set(key, plan);
  return plan;
}

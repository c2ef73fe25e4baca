// The serving policy of a model's spec (DESIGN.md section 4): how traffic splits between
// aliases and which alias, if any, shadows the live one. Other spec fields are kept as they are.
import { useState } from 'preact/hooks';
import type { ModelRecord } from '../types.js';

interface Policy {
  traffic?: Record<string, number>;
  shadow?: { alias: string; percent: number };
  [other: string]: unknown;
}

export function ServingPolicy({
  record,
  aliases,
  onSave,
  busy,
}: {
  record: ModelRecord;
  aliases: readonly string[];
  onSave: (spec: Record<string, unknown>) => void;
  busy: boolean;
}) {
  const spec = record.spec as Record<string, unknown>;
  const policy = (spec.serving ?? {}) as Policy;
  const [traffic, setTraffic] = useState<[string, number][]>(
    Object.entries(policy.traffic ?? { champion: 100 }),
  );
  const [shadow, setShadow] = useState(policy.shadow ?? null);
  const total = traffic.reduce((sum, [, percent]) => sum + percent, 0);
  const unused = aliases.filter((name) => !traffic.some(([alias]) => alias === name));
  const update = (index: number, value: [string, number]) =>
    setTraffic(traffic.map((row, i) => (i === index ? value : row)));

  return (
    <form
      class="card policy"
      onSubmit={(event) => {
        event.preventDefault();
        const { traffic: _t, shadow: _s, ...rest } = policy;
        onSave({
          ...spec,
          serving: { ...rest, traffic: Object.fromEntries(traffic), ...(shadow ? { shadow } : {}) },
        });
      }}
    >
      <fieldset>
        <legend>Traffic split</legend>
        {traffic.map(([alias, percent], index) => (
          <div class="policy-row" key={index}>
            <select
              aria-label="Alias"
              value={alias}
              onChange={(event) => update(index, [event.currentTarget.value, percent])}
            >
              {[alias, ...unused].map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
            <input
              type="number"
              aria-label={`Percent to ${alias}`}
              min={0}
              max={100}
              value={percent}
              onInput={(event) => update(index, [alias, Number(event.currentTarget.value)])}
            />
            <span>%</span>
            <button
              type="button"
              class="link"
              disabled={traffic.length === 1}
              onClick={() => setTraffic(traffic.filter((_, i) => i !== index))}
            >
              Remove
            </button>
          </div>
        ))}
        {unused.length > 0 && (
          <button type="button" class="link" onClick={() => setTraffic([...traffic, [unused[0]!, 0]])}>
            Add an alias
          </button>
        )}
        {total !== 100 && <p class="field-error">The split adds up to {total}%, not 100%.</p>}
      </fieldset>
      <fieldset>
        <legend>Shadow</legend>
        <label class="inline">
          <input
            type="checkbox"
            checked={shadow !== null}
            onChange={(event) =>
              setShadow(
                event.currentTarget.checked
                  ? { alias: aliases.find((a) => a !== 'champion') ?? 'challenger', percent: 100 }
                  : null,
              )
            }
          />
          Also score a share of requests with another alias, without answering with it
        </label>
        {shadow && (
          <div class="policy-row">
            <select
              aria-label="Shadow alias"
              value={shadow.alias}
              onChange={(event) => setShadow({ ...shadow, alias: event.currentTarget.value })}
            >
              {aliases.map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
            <input
              type="number"
              aria-label="Shadow percent"
              min={0}
              max={100}
              value={shadow.percent}
              onInput={(event) => setShadow({ ...shadow, percent: Number(event.currentTarget.value) })}
            />
            <span>% of requests</span>
          </div>
        )}
      </fieldset>
      <button type="submit" disabled={busy || total !== 100}>
        Save policy
      </button>
    </form>
  );
}

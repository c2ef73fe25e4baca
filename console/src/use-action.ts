// One change at a time (promote, approve, check now, ...): busy while it runs, then its outcome
// as a notice above the page, and `after` (a reload) when it worked.
import { useState } from 'preact/hooks';
import { changeFailure, type Notice } from './components/states.js';

export interface Action {
  readonly busy: boolean;
  readonly notice: Notice | null;
  /** `change` resolves with the sentence to show; `what` names the thing changed, for a failure. */
  run(what: string, change: () => Promise<string>): void;
  dismiss(): void;
}

export function useAction(after?: () => void): Action {
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  return {
    busy,
    notice,
    run(what, change) {
      setBusy(true);
      change()
        .then(
          (text) => {
            setNotice({ kind: 'success', text });
            after?.();
          },
          (error: unknown) => setNotice(changeFailure(error, what)),
        )
        .finally(() => setBusy(false));
    },
    dismiss: () => setNotice(null),
  };
}

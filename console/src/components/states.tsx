// How every page says "loading", "nothing here yet" and "that failed", the same way everywhere.
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api.js';
import type { Action } from '../use-action.js';

export function Loading({ what }: { what: string }) {
  return <p class="state loading">Loading {what}…</p>;
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state empty">
      <strong>{title}</strong>
      {children && <p>{children}</p>}
    </div>
  );
}

/** A failed request: what the platform said, and a hint when the route is simply not there yet. */
export function Failure({ error, what, retry }: { error: ApiError; what: string; retry?: () => void }) {
  const missingRoute = error.status === 404 && error.code === undefined;
  return (
    <div class="state failure" role="alert">
      <strong>
        {missingRoute ? `${what} are not available on this deployment.` : `Could not load ${what}.`}
      </strong>
      <p>
        {error.message}
        {error.code && <code class="code">{error.code}</code>}
      </p>
      {retry && (
        <button type="button" class="secondary" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** The outcome of an action (promote, approve, ...), shown above the page until dismissed. */
export interface Notice {
  readonly kind: 'success' | 'error';
  readonly text: string;
  /** Offered when the page is stale: reloading shows what changed. */
  readonly reload?: boolean;
}

/** The outcome of the page's last action, until dismissed; a stale page offers a reload. */
export function NoticeBar({ action, onReload }: { action: Action; onReload: () => void }) {
  const notice = action.notice;
  if (!notice) return null;
  return (
    <div class={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      <span>{notice.text}</span>
      {notice.reload && (
        <button
          type="button"
          class="secondary"
          onClick={() => {
            action.dismiss();
            onReload();
          }}
        >
          Reload
        </button>
      )}
      <button type="button" class="close" aria-label="Dismiss" onClick={action.dismiss}>
        ×
      </button>
    </div>
  );
}

/** What the user should read after a refused change. */
export function changeFailure(error: unknown, what: string): Notice {
  if (error instanceof ApiError && error.status === 412) {
    return {
      kind: 'error',
      text: `${what} changed since this page was loaded, so nothing was changed. Reload to see the current state, then try again.`,
      reload: true,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'error', text: `${what}: ${message}` };
}

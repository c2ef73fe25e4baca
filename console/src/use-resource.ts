// Loads one API path into a component: data, the ETag it came with, the error if any, and
// reload(). `refreshMs` keeps polling while it returns a number (live progress of a run).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from './api.js';

export interface Resource<T> {
  readonly data?: T;
  readonly etag: string | null;
  readonly error?: ApiError;
  readonly loading: boolean;
  reload(): void;
}

export function useResource<T>(
  path: string | null,
  refreshMs?: (data: T) => number | undefined,
): Resource<T> {
  const [state, setState] = useState<{ data?: T; etag: string | null; error?: ApiError; loading: boolean }>({
    etag: null,
    loading: path !== null,
  });
  const [generation, setGeneration] = useState(0);
  const refresh = useRef(refreshMs);
  refresh.current = refreshMs;
  const reload = useCallback(() => setGeneration((n) => n + 1), []);

  useEffect(() => {
    if (path === null) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const result = await api<T>(path);
        if (cancelled) return;
        setState({ data: result.data, etag: result.etag, loading: false });
        const delay = refresh.current?.(result.data);
        if (delay !== undefined) timer = setTimeout(load, delay);
      } catch (error) {
        if (cancelled) return;
        const failure = error instanceof ApiError ? error : new ApiError(0, String(error), undefined, {});
        setState((previous) => ({ ...previous, error: failure, loading: false }));
      }
    };
    setState((previous) => ({ ...previous, loading: true }));
    void load();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [path, generation]);

  return { ...state, reload };
}

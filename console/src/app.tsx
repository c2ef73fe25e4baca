// The shell: sign-in with the function key, one header, the model's section tabs, the page.
import { useEffect, useState } from 'preact/hooks';
import { initialKey, onUnauthorized, saveKey } from './api.js';
import { href, parseRoute, type Route } from './route.js';
import { BatchPage } from './pages/batch-page.js';
import { DriftPage } from './pages/drift-page.js';
import { LineagePage } from './pages/lineage-page.js';
import { ModelPage } from './pages/model-page.js';
import { ModelsPage } from './pages/models-page.js';
import { RunPage } from './pages/run-page.js';
import { RunsPage } from './pages/runs-page.js';

function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

function SignIn({ refused, onKey }: { refused: boolean; onKey: (key: string) => void }) {
  const [value, setValue] = useState('');
  return (
    <main class="sign-in">
      <form
        class="card"
        onSubmit={(event) => {
          event.preventDefault();
          if (value.trim()) onKey(value.trim());
        }}
      >
        <h1>MLOps console</h1>
        <p>
          Enter a function key. Locally it is <code>FUNCTIONS_FUNCTION_KEY</code> in{' '}
          <code>local.settings.json</code>, printed by <code>npm start</code>; in Azure, the app's default
          host key.
        </p>
        {refused && (
          <p class="notice error" role="alert">
            The platform refused that key.
          </p>
        )}
        <label>
          Function key
          <input
            type="password"
            autocomplete="off"
            value={value}
            onInput={(event) => setValue(event.currentTarget.value)}
          />
        </label>
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}

const sections = [
  ['model', 'Overview'],
  ['runs', 'Runs'],
  ['lineage', 'Lineage'],
  ['drift', 'Drift'],
  ['batch', 'Batch'],
] as const;

function ModelTabs({ route }: { route: Exclude<Route, { page: 'models' }> }) {
  const current = route.page === 'run' ? 'runs' : route.page;
  return (
    <nav class="tabs" aria-label="Model sections">
      {sections.map(([page, title]) => (
        <a
          key={page}
          href={href({ page, model: route.model })}
          aria-current={current === page ? 'page' : undefined}
        >
          {title}
        </a>
      ))}
    </nav>
  );
}

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'models':
      return <ModelsPage />;
    case 'model':
      return <ModelPage model={route.model} />;
    case 'runs':
      return <RunsPage model={route.model} />;
    case 'run':
      return <RunPage model={route.model} runId={route.runId} />;
    case 'lineage':
      return <LineagePage model={route.model} />;
    case 'drift':
      return <DriftPage model={route.model} />;
    case 'batch':
      return <BatchPage model={route.model} runId={route.runId} />;
  }
}

export function App() {
  const [key, setKey] = useState(initialKey);
  const [refused, setRefused] = useState(false);
  const route = useRoute();
  useEffect(
    () =>
      onUnauthorized(() => {
        saveKey(null);
        setRefused(true);
        setKey(null);
      }),
    [],
  );
  if (!key) {
    return (
      <SignIn
        refused={refused}
        onKey={(value) => {
          saveKey(value);
          setRefused(false);
          setKey(value);
        }}
      />
    );
  }
  return (
    <div class="shell">
      <header class="top">
        <a class="brand" href={href({ page: 'models' })}>
          MLOps console
        </a>
        <nav class="crumbs" aria-label="Breadcrumb">
          <a href={href({ page: 'models' })}>Models</a>
          {route.page !== 'models' && (
            <>
              <span>/</span>
              <a href={href({ page: 'model', model: route.model })}>{route.model}</a>
            </>
          )}
        </nav>
        <button
          type="button"
          class="secondary sign-out"
          onClick={() => {
            saveKey(null);
            setKey(null);
          }}
        >
          Sign out
        </button>
      </header>
      {route.page !== 'models' && <ModelTabs route={route} />}
      <main class="content">
        <Page route={route} />
      </main>
    </div>
  );
}

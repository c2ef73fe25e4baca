// Reads infra/ as text and lists what breaks the deployment's rules: no keys anywhere (no
// listKeys, account keys, SAS or secret connection strings, no secure parameters to carry
// them), local auth off on every service that has it, identity-based app settings only, and a
// role assignment for every service the app (or a Batch node) uses. No Bicep compiler runs here,
// so this reads the source: resource blocks by brace matching, settings by their `KEY: value` lines.

export type InfraFiles = Map<string, string>;

interface Block {
  file: string;
  name: string;
  type: string;
  header: string;
  body: string;
}

/** Every `resource name 'Type@version' ... = {...}` (or `[for ...: {...}]`) with its body. */
export function resourceBlocks(files: InfraFiles): Block[] {
  const blocks: Block[] = [];
  for (const [file, text] of files) {
    if (!file.endsWith('.bicep')) continue;
    const pattern = /^resource\s+(\w+)\s+'([^'@]+)@[^']+'[^\n=]*=\s*(\[[^{]*)?\{/gm;
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      const start = match.index + match[0].length - 1;
      blocks.push({
        file,
        name: match[1] ?? '',
        type: match[2] ?? '',
        header: match[3] ?? '',
        body: text.slice(start, closingBrace(text, start) + 1),
      });
    }
  }
  return blocks;
}

function closingBrace(text: string, open: number): number {
  let depth = 0;
  let quoted = false;
  for (let i = open; i < text.length; i++) {
    const char = text[i];
    if (char === "'" && text[i - 1] !== '\\') quoted = !quoted;
    if (quoted) continue;
    if (char === '{') depth += 1;
    if (char === '}' && --depth === 0) return i;
  }
  return text.length - 1;
}

/** The app settings passed to the Function App module: `KEY: value` lines of main.bicep's `settings: {...}`. */
export function appSettings(files: InfraFiles): Map<string, string> {
  const main = files.get('main.bicep') ?? '';
  const start = main.indexOf('settings: {');
  const settings = new Map<string, string>();
  if (start < 0) return settings;
  const open = main.indexOf('{', start);
  for (const line of main.slice(open + 1, closingBrace(main, open)).split('\n')) {
    const match = /^\s*(\w+):\s*(.+?)\s*$/.exec(line);
    if (match) settings.set(match[1] ?? '', match[2] ?? '');
  }
  return settings;
}

const forbidden: [RegExp, string][] = [
  [/\blistKeys\s*\(|\.listKeys\b/i, 'calls listKeys'],
  [/\blist(ConnectionStrings|Secrets|AccountSas|ServiceSas)\b/i, 'lists secrets'],
  [/\b(primary|secondary)(Master)?Key\b/i, 'reads an account key'],
  [/AccountKey=|SharedAccessKey(Name)?=|SharedAccessSignature=|\bsig=/i, 'holds a key or SAS in a string'],
  [/@secure\(\)/, 'declares a secure (secret) parameter'],
  [/\bpassword\b/i, 'mentions a password'],
];

// Services that can accept keys, and the property that turns that off.
const localAuthOff: Record<string, RegExp> = {
  'Microsoft.Storage/storageAccounts': /allowSharedKeyAccess:\s*false/,
  'Microsoft.DocumentDB/databaseAccounts': /disableLocalAuth:\s*true/,
  'Microsoft.ServiceBus/namespaces': /disableLocalAuth:\s*true/,
  'Microsoft.Batch/batchAccounts': /allowedAuthenticationModes:\s*\[\s*'AAD'\s*\]/,
  'Microsoft.Insights/components': /DisableLocalAuth:\s*true/,
  'Microsoft.ContainerRegistry/registries': /adminUserEnabled:\s*false/,
};

// Which data-plane roles (names in infra/roles.json) a setting means some identity needs.
const rolesBySetting: Record<string, { principal: 'app' | 'nodes'; roles: string[] }[]> = {
  AzureWebJobsStorage__blobServiceUri: [
    {
      principal: 'app',
      roles: ['storageBlobDataOwner', 'storageQueueDataContributor', 'storageTableDataContributor'],
    },
  ],
  COSMOS_ENDPOINT: [{ principal: 'app', roles: ['cosmosDataContributor'] }],
  SERVICEBUS_CONNECTION__fullyQualifiedNamespace: [{ principal: 'app', roles: ['serviceBusDataOwner'] }],
  DURABLE_TASK_SCHEDULER_CONNECTION_STRING: [{ principal: 'app', roles: ['durableTaskDataContributor'] }],
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: [{ principal: 'app', roles: ['monitoringMetricsPublisher'] }],
  BATCH_ACCOUNT_ENDPOINT: [
    { principal: 'app', roles: ['batchJobSubmitter'] },
    { principal: 'nodes', roles: ['storageBlobDataContributor'] },
  ],
  BATCH_REGISTRY_SERVER: [{ principal: 'nodes', roles: ['acrPull'] }],
};

/** principal ('app' | 'nodes') -> role names granted to it by some role assignment. */
export function grantedRoles(files: InfraFiles): Map<string, Set<string>> {
  const granted = new Map<string, Set<string>>([
    ['app', new Set()],
    ['nodes', new Set()],
  ]);
  for (const block of resourceBlocks(files)) {
    if (!/roleAssignments$/i.test(block.type)) continue;
    const principal = /principalId:\s*(app|nodes)PrincipalId/.exec(block.body)?.[1];
    if (!principal) continue;
    const names = [...block.body.matchAll(/roles\.(\w+)/g)].map((m) => m[1] ?? '');
    // `[for role in appRoles: {...}]`: the roles are listed in that variable.
    const loopVariable = /for\s+\w+\s+in\s+(\w+)/.exec(block.header)?.[1];
    if (loopVariable) {
      const declared = new RegExp(`var\\s+${loopVariable}\\s*=\\s*\\[([^\\]]*)\\]`).exec(
        files.get(block.file) ?? '',
      );
      names.push(...[...(declared?.[1] ?? '').matchAll(/roles\.(\w+)/g)].map((m) => m[1] ?? ''));
    }
    for (const name of names) granted.get(principal)?.add(name);
  }
  return granted;
}

export function auditInfra(files: InfraFiles): string[] {
  const problems: string[] = [];
  for (const [file, text] of files) {
    for (const [pattern, what] of forbidden) if (pattern.test(text)) problems.push(`${file} ${what}`);
  }
  const blocks = resourceBlocks(files);
  for (const [type, rule] of Object.entries(localAuthOff)) {
    for (const block of blocks.filter((b) => b.type === type)) {
      if (!rule.test(block.body))
        problems.push(`${block.file}: ${type} '${block.name}' allows key (local) auth`);
    }
  }

  const settings = appSettings(files);
  if (settings.size === 0) problems.push('main.bicep passes no app settings to the Function App');
  for (const [name, value] of settings) {
    if (/^AzureWebJobsStorage$|^COSMOS_CONNECTION_STRING$|^SERVICEBUS_CONNECTION$/.test(name)) {
      problems.push(`app setting ${name} is a key-based connection; use its identity-based form`);
    }
    if (/CONNECTION_STRING$/.test(name) && name !== 'APPLICATIONINSIGHTS_CONNECTION_STRING') {
      if (!/Authentication=ManagedIdentity/.test(value)) {
        problems.push(`app setting ${name} is a connection string without Authentication=ManagedIdentity`);
      }
    }
  }
  if (
    settings.has('APPLICATIONINSIGHTS_CONNECTION_STRING') &&
    !settings.has('APPLICATIONINSIGHTS_AUTHENTICATION_STRING')
  ) {
    problems.push(
      'Application Insights is used without APPLICATIONINSIGHTS_AUTHENTICATION_STRING (Entra ID ingestion)',
    );
  }

  const roleIds = JSON.parse(files.get('roles.json') ?? '{}') as Record<string, string>;
  const granted = grantedRoles(files);
  for (const [setting, needs] of Object.entries(rolesBySetting)) {
    if (!settings.has(setting)) continue;
    for (const { principal, roles } of needs) {
      for (const role of roles) {
        if (!/^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$/.test(roleIds[role] ?? '')) {
          problems.push(`roles.json lacks a role definition id for ${role}`);
        } else if (!granted.get(principal)?.has(role)) {
          problems.push(`${setting} is set but the ${principal} identity has no ${role} role assignment`);
        }
      }
    }
  }
  return problems;
}

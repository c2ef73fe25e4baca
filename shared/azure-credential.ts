// The app's Entra ID credential (its managed identity in Azure), one per process and loaded on
// first use: @azure/identity and MSAL are among the heaviest imports of a cold start, and a
// local run on connection strings never asks for a token.
import type { TokenCredential } from '@azure/core-auth';

let credential: Promise<TokenCredential> | undefined;

export const defaultCredential: TokenCredential = {
  async getToken(scopes, options) {
    credential ??= import('@azure/identity').then(
      ({ DefaultAzureCredential }) => new DefaultAzureCredential(),
    );
    return (await credential).getToken(scopes, options);
  },
};

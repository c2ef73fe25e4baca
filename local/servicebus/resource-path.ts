// Token audiences are URIs (`sb://host:port/queue`), link addresses are paths (`queue`,
// `topic/Subscriptions/sub/$management`); both are compared in this normal form.

/** The entity path a resource URI or link address names: scheme and host dropped, case folded. */
export const resourcePath = (uri: string): string =>
  uri
    .replace(/^(amqps?|sb|https?):\/\/[^/]*/i, '')
    .replace(/^\/+|\/+$/g, '')
    .toLowerCase();

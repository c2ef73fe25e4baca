import { app } from '@azure/functions';
import { greeting } from './greeting.js';

app.http('hello', {
  methods: ['GET'],
  authLevel: 'anonymous',
  route: 'hello/{name}',
  handler: async (request) => ({ jsonBody: greeting(request.params.name) }),
});

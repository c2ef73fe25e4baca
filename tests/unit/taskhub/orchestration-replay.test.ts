// The orchestration replay suite against the in-memory backend.
import { createMemoryBackend } from '../../../local/taskhub/memory-backend.js';
import { replaySuite } from './replay-suite.js';

replaySuite('memory', createMemoryBackend);

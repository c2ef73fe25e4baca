// The orchestration replay suite against the in-memory backend.
import { createMemoryBackend } from '../../../local/taskhub/memory-backend.js';
import { replaySuite } from '../../support/taskhub/replay-suite.js';

replaySuite('memory', createMemoryBackend);

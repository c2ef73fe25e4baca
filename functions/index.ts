// The app's entry point (package.json `main`): importing each capability registers its functions.
import './telemetry.js';
import './health.js';
import './registry.js';
import './ingest.js';
import './training.js';
import './runs.js';
import './scoring.js';
import './inference-v2.js';
import './batch-scoring.js';
import './monitoring.js';
import './retrain.js';
import './console.js';

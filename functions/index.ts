// The app's entry point (package.json `main`): importing each capability registers its functions.
import './telemetry.js';
import './health.js';
import './registry.js';
import './console.js';

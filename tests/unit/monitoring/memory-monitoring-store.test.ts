import { MemoryMonitoringStore } from '../../../shared/monitoring/memory-monitoring-store.js';
import { monitoringStoreSuite } from './monitoring-store-suite.js';

const store = new MemoryMonitoringStore();
monitoringStoreSuite('in memory', () => store);

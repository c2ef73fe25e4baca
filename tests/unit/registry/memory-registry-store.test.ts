import { MemoryRegistryStore } from '../../../shared/registry/memory-registry-store.js';
import { registryStoreSuite } from '../../support/registry/store-suite.js';

const store = new MemoryRegistryStore();
registryStoreSuite('in memory', () => store);

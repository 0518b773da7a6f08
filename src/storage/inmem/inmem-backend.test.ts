// Runs the shared conformance suite against the in-memory backend.

import { describePhysicalBackendConformance } from '../conformance.js';
import { createInmemBackend } from './index.js';

describePhysicalBackendConformance('inmem', () => Promise.resolve({ backend: createInmemBackend() }));

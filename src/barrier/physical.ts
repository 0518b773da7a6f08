// The storage layer's contract as the barrier sees it; the one place barrier/ imports storage/.
export type { Ciphertext, PhysicalBackend } from '../storage/index.js';

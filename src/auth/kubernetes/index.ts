// kubernetes/: the Kubernetes service account auth method. One public door.
export type { KubernetesBackendOptions } from './kubernetes-backend.js';
export { createKubernetesBackend, kubernetesFactory } from './kubernetes-backend.js';

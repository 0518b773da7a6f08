// What the core reports to telemetry, and how sys/metrics output is produced. The server layer
// implements it (prom-client); the core only calls these hooks, cheaply, on every request.

export interface CoreTelemetry {
  /** One logical request finished; `mount` is the route path ("secret/", "auth/token/", "" when unrouted). */
  requestHandled(operation: string, mount: string, seconds: number, ok: boolean): void;
  /** One audit request or response entry was (or could not be) recorded. */
  auditLogged(seconds: number, ok: boolean): void;
  /** Renders sys/metrics: Prometheus text, or go-metrics JSON. Throws invalid_request when the format is unavailable. */
  render(format: 'prometheus' | 'json'): Promise<{ contentType: string; body: string }>;
}

/** Gauges read at scrape time. */
export interface CoreGauges {
  sealed(): boolean;
  leaseCount(): Promise<number>;
  auditDevices(): number;
  mounts(): number;
}

export const noTelemetry: CoreTelemetry = {
  requestHandled: () => undefined,
  auditLogged: () => undefined,
  render: () => Promise.resolve({ contentType: 'application/json', body: '{}' }),
};

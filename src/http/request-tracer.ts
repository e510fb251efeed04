/** The attributes of a request's span: OpenTelemetry's HTTP names and swx's request id. */
export type SpanAttributes = Readonly<Record<string, string | number>>;

/** One request's span, started when the request arrives and ended once its response is final. */
export interface RequestSpan {
  /** Ends the span, renamed `name` (the route is known only once routed), with `attributes` added; `failed` marks it as an error. */
  end(name: string, attributes: SpanAttributes, failed: boolean): void;
}

/**
 * Starts one span per request (AppDeps.tracer). On Node, OpenTelemetry's OTLP/HTTP exporter when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set (src/adapters/tracing/otel-request-tracer.ts); absent otherwise and on Workers.
 */
export interface RequestTracer {
  start(name: string, attributes: SpanAttributes): RequestSpan;
}

import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { RequestSpan, RequestTracer, SpanAttributes } from '../../http/request-tracer.js';

/** An OpenTelemetry request tracer and how to stop it: `shutdown` exports the spans still buffered. */
export interface OtelRequestTracer extends RequestTracer {
  shutdown(): Promise<void>;
}

/**
 * Exports one server span per request over OTLP/HTTP (JSON) to `<endpoint>/v1/traces`, as OTEL_EXPORTER_OTLP_ENDPOINT
 * names a collector's base URL, with the resource `service.name` swx. Spans are batched; nothing is registered globally.
 * @example const tracer = otelRequestTracer('http://127.0.0.1:4318'); const span = tracer.start('GET', {}); span.end('GET /healthz', {}, false)
 */
export function otelRequestTracer(endpoint: string): OtelRequestTracer {
  const exporter = new OTLPTraceExporter({ url: `${endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'swx' }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('swx');
  return {
    start(name: string, attributes: SpanAttributes): RequestSpan {
      const span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes });
      return {
        end(finalName, finalAttributes, failed) {
          span.updateName(finalName);
          span.setAttributes(finalAttributes);
          if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        },
      };
    },
    shutdown: () => provider.shutdown(),
  };
}

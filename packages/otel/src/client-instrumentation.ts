import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type Attributes,
  type Context,
  context,
  diag,
  type Span,
  SpanKind,
  type SpanOptions,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import {
  type AdminPayload,
  type AuthenticatePayload,
  type BrokerEndpoint,
  type ConnectPayload,
  diagnosticChannels,
  type RequestPayload,
  type ThrottlePayload,
} from '@vltava/core';
import { ATTR, errorType, KAFKA } from './attributes.js';
import { SECONDS_BOUNDARIES, type Settings, safe } from './settings.js';

/** Ends a span with the operation's outcome. */
export function endSpan(span: Span, error: unknown, attributes?: Attributes): void {
  if (attributes !== undefined) span.setAttributes(attributes);
  if (error !== undefined) {
    span.setAttribute(ATTR.ERROR_TYPE, errorType(error));
    if (error instanceof Error) span.recordException(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  }
  span.end();
}

function endpointAttributes(endpoint: BrokerEndpoint): Attributes {
  const attributes: Attributes = {
    [ATTR.MESSAGING_SYSTEM]: KAFKA,
    [ATTR.MESSAGING_CLIENT_ID]: endpoint.clientId,
    [ATTR.SERVER_ADDRESS]: endpoint.host,
    [ATTR.SERVER_PORT]: endpoint.port,
  };
  if (endpoint.nodeId !== undefined) attributes[ATTR.VLTAVA_NODE_ID] = endpoint.nodeId;
  return attributes;
}

/**
 * Connections, requests and admin calls: spans (requests and connections only with `requestSpans`; admin calls
 * unless `adminSpans` is false) and the `vltava.client.*` and `vltava.admin.*` instruments. Returns the
 * unsubscribe function.
 */
export function instrumentClients(settings: Settings): () => void {
  const { tracer, meter } = settings;
  const advice = { explicitBucketBoundaries: SECONDS_BOUNDARIES };
  const requestDuration = meter.createHistogram('vltava.client.request.duration', {
    unit: 's',
    description: 'Duration of Kafka requests, from the write to the response',
    advice,
  });
  const throttleDuration = meter.createHistogram('vltava.client.throttle.duration', {
    unit: 's',
    description: 'Quota throttle time brokers reported in responses (KIP-219)',
    advice,
  });
  const connectDuration = meter.createHistogram('vltava.client.connection.setup.duration', {
    unit: 's',
    description: 'Duration of connection setup: TCP, TLS, ApiVersions and SASL',
    advice,
  });
  const adminDuration = meter.createHistogram('vltava.admin.call.duration', {
    unit: 's',
    description: 'Duration of admin client calls, retries included',
    advice,
  });
  const spans = new WeakMap<object, Span>();
  const started = new WeakMap<object, number>();
  const stops: Array<() => void> = [];

  // Connection setup, SASL and admin calls are traced with `tracePromise`, whose `start.runStores` runs them in
  // the context bound here: the requests made inside (ApiVersions, SASL, an admin call's) become their children.
  const scope = new AsyncLocalStorage<Context>();
  const parent = () => scope.getStore() ?? context.active();
  const open = (payload: object, name: string, options: SpanOptions): Context => {
    const base = parent();
    const span = tracer.startSpan(name, options, base);
    spans.set(payload, span);
    return trace.setSpan(base, span);
  };
  const bind = <P extends object>(
    channel: { readonly channel: { readonly start: import('node:diagnostics_channel').Channel<unknown, P> } },
    transform: (payload: P) => Context,
  ) => {
    const start = channel.channel.start;
    start.bindStore(scope as AsyncLocalStorage<unknown>, (payload: P) => {
      try {
        return transform(payload);
      } catch (error) {
        diag.error('@vltava/otel: a span could not start', error);
        return parent();
      }
    });
    stops.push(() => {
      start.unbindStore(scope as AsyncLocalStorage<unknown>);
    });
  };

  if (settings.requestSpans) {
    bind(diagnosticChannels.connect, (p: ConnectPayload) => {
      const attributes = endpointAttributes(p);
      if (p.saslMechanism !== undefined) attributes[ATTR.VLTAVA_SASL_MECHANISM] = p.saslMechanism;
      return open(p, `connect ${p.broker}`, { kind: SpanKind.CLIENT, attributes });
    });
    bind(diagnosticChannels.authenticate, (p: AuthenticatePayload) => {
      const attributes = { ...endpointAttributes(p), [ATTR.VLTAVA_SASL_MECHANISM]: p.saslMechanism };
      const name = `${p.reauthentication ? 'reauthenticate' : 'authenticate'} ${p.broker}`;
      return open(p, name, { kind: SpanKind.CLIENT, attributes });
    });
  }
  if (settings.adminSpans) {
    bind(diagnosticChannels.admin, (p: AdminPayload) =>
      open(p, p.method, {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR.MESSAGING_SYSTEM]: KAFKA,
          [ATTR.MESSAGING_CLIENT_ID]: p.clientId,
          [ATTR.VLTAVA_ADMIN_METHOD]: p.method,
        },
      }),
    );
  }

  stops.push(
    diagnosticChannels.connect.subscribe({
      start: safe('connect start', (p: ConnectPayload) => {
        started.set(p, performance.now());
      }),
      asyncStart: safe('connect end', (p: ConnectPayload) => {
        const at = started.get(p);
        if (at !== undefined) {
          const attributes = endpointAttributes(p);
          if (p.error !== undefined) attributes[ATTR.ERROR_TYPE] = errorType(p.error);
          connectDuration.record((performance.now() - at) / 1000, attributes);
        }
        const span = spans.get(p);
        if (span !== undefined) endSpan(span, p.error);
      }),
    }),
  );

  if (settings.requestSpans) {
    stops.push(
      diagnosticChannels.authenticate.subscribe({
        asyncStart: safe('authenticate end', (p: AuthenticatePayload) => {
          const span = spans.get(p);
          if (span !== undefined) endSpan(span, p.error);
        }),
      }),
    );
  }

  stops.push(
    diagnosticChannels.request.subscribe({
      start: safe('request start', (p: RequestPayload) => {
        if (!settings.requestSpans) return;
        const attributes = endpointAttributes(p);
        attributes[ATTR.VLTAVA_API_NAME] = p.apiName;
        attributes[ATTR.VLTAVA_API_VERSION] = p.apiVersion;
        attributes[ATTR.VLTAVA_REQUEST_SIZE] = p.requestBytes;
        spans.set(p, tracer.startSpan(p.apiName, { kind: SpanKind.CLIENT, attributes }, parent()));
      }),
      asyncStart: safe('request end', (p: RequestPayload) => {
        const attributes: Attributes = {
          [ATTR.MESSAGING_SYSTEM]: KAFKA,
          [ATTR.VLTAVA_API_NAME]: p.apiName,
          [ATTR.SERVER_ADDRESS]: p.host,
          [ATTR.SERVER_PORT]: p.port,
        };
        if (p.error !== undefined) attributes[ATTR.ERROR_TYPE] = errorType(p.error);
        if (p.durationMs !== undefined) requestDuration.record(p.durationMs / 1000, attributes);
        const span = spans.get(p);
        if (span !== undefined) {
          endSpan(span, p.error, {
            [ATTR.VLTAVA_RESPONSE_SIZE]: p.responseBytes,
            [ATTR.VLTAVA_THROTTLE_TIME_MS]: p.throttleTimeMs,
          });
        }
      }),
    }),
  );

  stops.push(
    diagnosticChannels.throttle.subscribe(
      safe('throttle', (p: ThrottlePayload) => {
        throttleDuration.record(p.throttleTimeMs / 1000, {
          [ATTR.MESSAGING_SYSTEM]: KAFKA,
          [ATTR.VLTAVA_API_NAME]: p.apiName,
          [ATTR.SERVER_ADDRESS]: p.host,
          [ATTR.SERVER_PORT]: p.port,
        });
      }),
    ),
  );

  stops.push(
    diagnosticChannels.admin.subscribe({
      start: safe('admin start', (p: AdminPayload) => {
        started.set(p, performance.now());
      }),
      asyncStart: safe('admin end', (p: AdminPayload) => {
        const at = started.get(p);
        if (at !== undefined) {
          const attributes: Attributes = { [ATTR.MESSAGING_SYSTEM]: KAFKA, [ATTR.VLTAVA_ADMIN_METHOD]: p.method };
          if (p.error !== undefined) attributes[ATTR.ERROR_TYPE] = errorType(p.error);
          adminDuration.record((performance.now() - at) / 1000, attributes);
        }
        const span = spans.get(p);
        if (span !== undefined) endSpan(span, p.error);
      }),
    }),
  );

  return () => {
    for (const stop of stops) stop();
  };
}

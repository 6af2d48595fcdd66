/**
 * Diagnostics: Vltava's `node:diagnostics_channel` channels, declared once in {@link diagnosticChannels}, and the
 * types of their payloads. See docs/DIAGNOSTICS.md.
 *
 * @packageDocumentation
 */

export { type DiagnosticChannelKey, diagnosticChannels } from './channels.js';
export type * from './payloads.js';
export { beginProcess, endProcess, processIn, type TraceIdentity } from './process-trace.js';
export { EventChannel, TracedChannel, type TracedChannelHandlers } from './traced-channel.js';

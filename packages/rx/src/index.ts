/**
 * Vltava for RxJS: consumers as Observables with backpressure-aware pause and resume, producers as sink operators.
 *
 * @packageDocumentation
 */
export {};

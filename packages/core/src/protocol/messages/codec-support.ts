import { UnsupportedVersionError } from '../../errors/client-errors.js';

export { ZERO_UUID } from '../primitives/uuid.js';

/** The empty byte array, default of `bytes` fields (zero-length, so sharing it is safe). */
export const EMPTY_BYTES: Buffer = Buffer.alloc(0);

/** Throws an {@link UnsupportedVersionError} unless `min <= version <= max`. */
export function checkVersion(message: string, version: number, min: number, max: number): void {
  if (!Number.isInteger(version) || version < min || version > max) {
    throw new UnsupportedVersionError(
      `${message} has no version ${version}: this client handles versions ${min} to ${max}`,
    );
  }
}

/**
 * The error for a field that holds a non-default value in a version that does not have it, as Kafka's Java
 * generator raises it: sending the message would silently drop the value.
 */
export function unsupportedField(message: string, field: string, version: number): UnsupportedVersionError {
  return new UnsupportedVersionError(
    `${message} v${version} cannot carry ${field}: the field does not exist in that version and holds a ` +
      'non-default value. Use a version that has it, or leave it unset.',
  );
}

/** The error for a null value in a version where the field is not nullable. */
export function unsupportedNull(message: string, field: string, version: number): UnsupportedVersionError {
  return new UnsupportedVersionError(
    `${message} v${version} cannot carry a null ${field}: the field is not nullable in that version.`,
  );
}

/** The error for unknown tagged fields in a version that has no tagged fields (not flexible). */
export function unsupportedTaggedFields(message: string, path: string, version: number): UnsupportedVersionError {
  const where = path === '' ? message : `${message} ${path.replace(/\.$/, '')}`;
  return new UnsupportedVersionError(
    `${where} holds tagged fields, but ${message} v${version} is not a flexible version and cannot carry them.`,
  );
}

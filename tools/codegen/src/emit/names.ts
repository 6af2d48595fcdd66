import type { MessageSpec, StructSpec } from '../spec/model.js';

/** `DescribeUserScramCredentials` -> `describe-user-scram-credentials`. */
export function kebabCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** `MetadataRequest` -> `Metadata`. */
export function apiName(requestName: string): string {
  return requestName.replace(/Request$/, '');
}

/**
 * Gives every struct of a message a TypeScript name that is unique in the file holding request and response:
 * the message name followed by the struct's JSON name (`ProduceRequest` + `TopicProduceData`), unless the JSON
 * name already starts with the message name (`MetadataRequestTopic` stays as it is).
 */
export function assignStructNames(message: MessageSpec): void {
  for (const struct of message.structs) struct.tsName = structName(message, struct);
}

function structName(message: MessageSpec, struct: StructSpec): string {
  if (struct === message.root) return message.name;
  if (struct.jsonName.startsWith(message.name)) return struct.jsonName;
  return `${message.name}${struct.jsonName}`;
}

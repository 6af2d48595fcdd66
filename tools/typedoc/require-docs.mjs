// TypeDoc plugin (loaded by typedoc.config.mjs): every public symbol of the packages needs a doc comment, or the
// docs build fails (warnings are errors there). "Public symbol" as a reader of the API reference meets it:
//
// - what the entries export: classes, interfaces, functions, variables, type aliases, enums and their members;
// - the properties, methods, accessors and constructors that classes and interfaces declare.
//
// Not counted: members of inline object types (`{ topic: string; error?: KafkaError }` in a result type), which
// the comment of the type or property holding them describes; members inherited or overriding another's (their
// documentation is the base's, Node's for stream hooks such as `_write`); well-known symbol methods
// (`[Symbol.asyncIterator]`, `[Symbol.hasInstance]`), whose meaning is the language's. TypeDoc's own
// `notDocumented` check counts all of these, 415 warnings on code that documents every option.
//
// `@vltava/kafkajs` needs comments on its declarations only, not on their members: its types are KafkaJS 2.2's
// typings, member by member (`RecordMetadata.topicName`, `Cluster.findBroker`, ...), documented by KafkaJS; its
// declarations say what each is and how it differs. (This check runs on the merged project only: the per-package
// runs have no `packagesRequiringDocumentation`.)
import { ReflectionKind } from 'typedoc';

/** Packages whose members (properties, methods, ...) need no comment of their own, only their declarations. */
const DECLARATIONS_ONLY = new Set(['@vltava/kafkajs']);

const DECLARATIONS =
  ReflectionKind.Class |
  ReflectionKind.Interface |
  ReflectionKind.Function |
  ReflectionKind.Variable |
  ReflectionKind.TypeAlias |
  ReflectionKind.Enum |
  ReflectionKind.EnumMember |
  ReflectionKind.Property |
  ReflectionKind.Method |
  ReflectionKind.Accessor |
  ReflectionKind.Constructor;

/** Whether the reflection, one of its signatures, or one of its accessor halves has a comment. */
function documented(reflection) {
  if (reflection.hasComment()) return true;
  const parts = [...(reflection.signatures ?? []), reflection.getSignature, reflection.setSignature];
  return parts.some((part) => part?.hasComment());
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.on('validateProject', (project) => {
    const packages = new Set(app.options.getValue('packagesRequiringDocumentation'));
    let missing = 0;
    for (const reflection of project.getReflectionsByKind(DECLARATIONS)) {
      if (reflection.parent?.kindOf(ReflectionKind.TypeLiteral)) continue;
      if (reflection.inheritedFrom !== undefined || reflection.overwrites !== undefined) continue;
      if (reflection.name.startsWith('[')) continue;
      const symbol = project.getSymbolIdFromReflection(reflection);
      if (symbol === undefined || !packages.has(symbol.packageName)) continue;
      if (DECLARATIONS_ONLY.has(symbol.packageName) && !reflection.parent?.kindOf(ReflectionKind.Module)) continue;
      if (documented(reflection)) continue;
      missing++;
      app.logger.warn(
        `${reflection.getFriendlyFullName()} (${ReflectionKind[reflection.kind]}), defined in ` +
          `${symbol.packageName}/${symbol.packagePath}, has no doc comment`,
      );
    }
    if (missing === 0) app.logger.info('every public symbol has a doc comment');
  });
}

// Prints Kafka's protocol error table as JSON, read from the Errors enum of the kafka-clients jar on the classpath:
//   java -cp kafka-clients-4.4.0.jar:slf4j-api.jar tools/codegen/java/DumpErrors.java
// Run by tools/codegen (npm run codegen) to generate packages/core/src/errors/*.generated.ts.
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidMetadataException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.protocol.Errors;

public class DumpErrors {
    public static void main(String[] args) {
        StringBuilder out = new StringBuilder("[\n");
        Errors[] all = Errors.values();
        for (int i = 0; i < all.length; i++) {
            Errors error = all[i];
            ApiException exception = error.exception();
            out.append("  {\"code\": ").append(error.code())
                .append(", \"name\": ").append(quote(error.name()))
                .append(", \"retriable\": ").append(exception instanceof RetriableException)
                .append(", \"invalidMetadata\": ").append(exception instanceof InvalidMetadataException)
                .append(", \"authentication\": ").append(exception instanceof AuthenticationException)
                .append(", \"authorization\": ").append(exception instanceof AuthorizationException)
                .append(", \"exception\": ").append(exception == null ? "null" : quote(exception.getClass().getSimpleName()))
                .append(", \"message\": ").append(quote(error.message()))
                .append(i + 1 < all.length ? "},\n" : "}\n");
        }
        out.append("]\n");
        System.out.print(out);
    }

    private static String quote(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}

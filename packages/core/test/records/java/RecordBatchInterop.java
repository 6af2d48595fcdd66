// Interop fixture for Vltava's record batch codec, run by packages/core/test/records/*.test.ts as a single-file
// Java program against Apache Kafka's own client library:
//
//   java -cp <kafka-clients + compression jars> RecordBatchInterop.java write <spec-file>
//   java -cp <kafka-clients + compression jars> RecordBatchInterop.java read <batches-file>...
//
// `write` builds batches with Kafka's MemoryRecordsBuilder as a spec file describes (one directive per line,
// tab-separated name=value fields; byte fields are base64, `~` is null):
//
//   file    path=<output file>                       starts a new output file
//   batch   magic= compression= baseOffset= timestampType= logAppendTime= producerId= producerEpoch=
//           baseSequence= transactional= control= leaderEpoch=
//   record  offset= timestamp= key= value= headers=<key64>:<value64>,...
//   marker  offset= timestamp= type=COMMIT|ABORT coordinatorEpoch=
//
// `read` parses files of batches with MemoryRecords, checks every batch (ensureValid: CRC and sizes) and prints
// one JSON object per batch on stdout.
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.ControlRecordType;
import org.apache.kafka.common.record.internal.EndTransactionMarker;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.apache.kafka.common.record.internal.Record;

public class RecordBatchInterop {
  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("write")) {
      write(Path.of(args[1]));
    } else if (args.length >= 2 && args[0].equals("read")) {
      PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
      for (int i = 1; i < args.length; i++) read(Path.of(args[i]), out);
      out.flush();
    } else {
      System.err.println("usage: RecordBatchInterop write <spec> | read <file>...");
      System.exit(2);
    }
  }

  private static Map<String, String> fields(String[] parts) {
    Map<String, String> map = new HashMap<>();
    for (int i = 1; i < parts.length; i++) {
      int eq = parts[i].indexOf('=');
      map.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
    }
    return map;
  }

  private static byte[] bytes(String field) {
    return field.equals("~") ? null : Base64.getDecoder().decode(field);
  }

  private static Header[] headers(String field) {
    if (field == null || field.isEmpty()) return new Header[0];
    String[] items = field.split(",");
    Header[] headers = new Header[items.length];
    for (int i = 0; i < items.length; i++) {
      String[] kv = items[i].split(":", 2);
      headers[i] = new RecordHeader(new String(bytes(kv[0]), StandardCharsets.UTF_8), bytes(kv[1]));
    }
    return headers;
  }

  private static void write(Path spec) throws Exception {
    Path file = null;
    ByteBuffer buffer = null;
    MemoryRecordsBuilder builder = null;
    for (String line : Files.readAllLines(spec, StandardCharsets.UTF_8)) {
      if (line.isBlank()) continue;
      String[] parts = line.split("\t");
      Map<String, String> f = fields(parts);
      switch (parts[0]) {
        case "file" -> {
          buffer = flush(file, buffer, builder);
          builder = null;
          file = Path.of(f.get("path"));
          buffer = ByteBuffer.allocate(64 * 1024 * 1024);
        }
        case "batch" -> {
          if (builder != null) {
            builder.close();
            buffer = builder.buffer();
          }
          TimestampType timestampType =
              f.get("timestampType").equals("LogAppendTime") ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
          byte magic = Byte.parseByte(f.get("magic"));
          if (magic == 0) timestampType = TimestampType.NO_TIMESTAMP_TYPE;
          builder = new MemoryRecordsBuilder(
              buffer,
              magic,
              Compression.of(f.get("compression")).build(),
              timestampType,
              Long.parseLong(f.get("baseOffset")),
              Long.parseLong(f.get("logAppendTime")),
              Long.parseLong(f.get("producerId")),
              Short.parseShort(f.get("producerEpoch")),
              Integer.parseInt(f.get("baseSequence")),
              Boolean.parseBoolean(f.get("transactional")),
              Boolean.parseBoolean(f.get("control")),
              Integer.parseInt(f.get("leaderEpoch")),
              buffer.remaining());
        }
        case "record" -> builder.appendWithOffset(
            Long.parseLong(f.get("offset")),
            Long.parseLong(f.get("timestamp")),
            bytes(f.get("key")),
            bytes(f.get("value")),
            headers(f.get("headers")));
        case "marker" -> {
          ControlRecordType type = ControlRecordType.valueOf(f.get("type"));
          // appendEndTxnMarker takes the next offset; the builder was created at the marker's offset.
          builder.appendEndTxnMarker(
              Long.parseLong(f.get("timestamp")),
              new EndTransactionMarker(type, Integer.parseInt(f.get("coordinatorEpoch"))));
        }
        default -> throw new IllegalArgumentException("unknown directive " + parts[0]);
      }
    }
    flush(file, buffer, builder);
  }

  private static ByteBuffer flush(Path file, ByteBuffer buffer, MemoryRecordsBuilder builder) throws Exception {
    if (file == null) return buffer;
    if (builder != null) {
      builder.close();
      buffer = builder.buffer();
    }
    ByteBuffer done = buffer.duplicate();
    done.flip();
    byte[] bytes = new byte[done.remaining()];
    done.get(bytes);
    Files.write(file, bytes);
    return null;
  }

  private static void read(Path file, PrintStream out) throws Exception {
    MemoryRecords records = MemoryRecords.readableRecords(ByteBuffer.wrap(Files.readAllBytes(file)));
    for (MutableRecordBatch batch : records.batches()) {
      batch.ensureValid();
      StringBuilder json = new StringBuilder(256);
      json.append("{\"file\":").append(quote(file.toString()))
          .append(",\"magic\":").append(batch.magic())
          .append(",\"baseOffset\":\"").append(batch.baseOffset())
          .append("\",\"lastOffset\":\"").append(batch.lastOffset())
          .append("\",\"compression\":").append(quote(batch.compressionType().name))
          .append(",\"timestampType\":").append(quote(batch.timestampType().name))
          .append(",\"transactional\":").append(batch.isTransactional())
          .append(",\"control\":").append(batch.isControlBatch())
          .append(",\"producerId\":\"").append(batch.producerId())
          .append("\",\"producerEpoch\":").append(batch.producerEpoch())
          .append(",\"baseSequence\":").append(batch.baseSequence())
          .append(",\"partitionLeaderEpoch\":").append(batch.partitionLeaderEpoch())
          .append(",\"maxTimestamp\":").append(batch.maxTimestamp())
          .append(",\"count\":").append(batch.countOrNull())
          .append(",\"records\":[");
      boolean first = true;
      for (Record record : batch) {
        record.ensureValid();
        if (!first) json.append(',');
        first = false;
        json.append("{\"offset\":\"").append(record.offset())
            .append("\",\"timestamp\":").append(record.timestamp())
            .append(",\"key\":").append(b64(record.key()))
            .append(",\"value\":").append(b64(record.value()));
        if (batch.isControlBatch()) {
          json.append(",\"controlType\":").append(quote(ControlRecordType.parse(record.key()).name()));
        }
        json.append(",\"headers\":[");
        Header[] headers = record.headers();
        for (int i = 0; i < headers.length; i++) {
          if (i > 0) json.append(',');
          json.append('[').append(quote(headers[i].key())).append(',')
              .append(headers[i].value() == null ? "null" : quote(Base64.getEncoder().encodeToString(headers[i].value())))
              .append(']');
        }
        json.append("]}");
      }
      json.append("]}");
      out.println(json);
    }
  }

  private static String b64(ByteBuffer buffer) {
    if (buffer == null) return "null";
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return quote(Base64.getEncoder().encodeToString(bytes));
  }

  private static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }
}

package io.stopsign.inference;

import com.google.protobuf.ByteString;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Reads a TF.js weightsManifest: shards of each group concatenated, weights in manifest order,
 * float16 and affine uint8/uint16 quantisation expanded back to float32.
 */
final class TfjsWeights {

  /** Weight name to a TensorProto holding its values. */
  static Map<String, TensorProto> read(Path dir, JsonArray manifest, String source) {
    Map<String, TensorProto> out = new HashMap<>();
    for (int g = 0; g < manifest.size(); g++) {
      JsonObject group = manifest.getJsonObject(g);
      ByteBuffer data = shards(dir, group.getJsonArray("paths", new JsonArray()), source);
      for (Object w : group.getJsonArray("weights", new JsonArray())) {
        JsonObject weight = (JsonObject) w;
        out.put(weight.getString("name"), tensor(weight, data, source));
      }
      if (data.hasRemaining()) {
        throw new ModelException(
            source
                + ": weight shards hold "
                + data.remaining()
                + " bytes more than the manifest lists");
      }
    }
    return out;
  }

  private static ByteBuffer shards(Path dir, JsonArray paths, String source) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (Object p : paths) {
      Path shard = dir.resolve(String.valueOf(p));
      try {
        all.write(Files.readAllBytes(shard));
      } catch (IOException e) {
        throw new ModelException(
            source + ": weight shard " + shard + " cannot be read (" + e + ")", e);
      }
    }
    return ByteBuffer.wrap(all.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static TensorProto tensor(JsonObject weight, ByteBuffer data, String source) {
    String name = weight.getString("name");
    String dtype = weight.getString("dtype");
    JsonArray shape = weight.getJsonArray("shape", new JsonArray());
    long count = 1;
    TensorShapeProto.Builder dims = TensorShapeProto.newBuilder();
    for (Object d : shape) {
      long size = ((Number) d).longValue();
      dims.addDim(TensorShapeProto.Dim.newBuilder().setSize(size));
      count *= size;
    }
    int n = Math.toIntExact(count);
    JsonObject q = weight.getJsonObject("quantization");
    String stored = q == null ? dtype : q.getString("dtype");
    int width =
        switch (stored) {
          case "float32", "int32" -> 4;
          case "float16", "uint16" -> 2;
          case "uint8", "bool" -> 1;
          default ->
              throw new ModelException(
                  source + ": weight " + name + " has unsupported dtype " + stored);
        };
    if (data.remaining() < (long) n * width) {
      throw new ModelException(source + ": weight shards end inside weight " + name);
    }
    ByteBuffer content =
        ByteBuffer.allocate(n * (dtype.equals("bool") ? 1 : 4)).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      switch (stored) {
        case "float32", "int32" -> content.putInt(data.getInt());
        case "bool" -> content.put(data.get());
        case "float16" -> content.putFloat(halfToFloat(data.getShort() & 0xffff));
        default -> {
          int raw = stored.equals("uint8") ? data.get() & 0xff : data.getShort() & 0xffff;
          float v = (float) (raw * q.getDouble("scale", 1.0) + q.getDouble("min", 0.0));
          if (dtype.equals("int32")) {
            content.putInt(Math.round(v));
          } else {
            content.putFloat(v);
          }
        }
      }
    }
    DataType type =
        switch (dtype) {
          case "float32" -> DataType.DT_FLOAT;
          case "int32" -> DataType.DT_INT32;
          case "bool" -> DataType.DT_BOOL;
          default ->
              throw new ModelException(
                  source + ": weight " + name + " has unsupported dtype " + dtype);
        };
    return TensorProto.newBuilder()
        .setDtype(type)
        .setTensorShape(dims)
        .setTensorContent(ByteString.copyFrom(content.array()))
        .build();
  }

  /** IEEE 754 half precision to float. */
  static float halfToFloat(int h) {
    int sign = (h >>> 15) & 1;
    int exp = (h >>> 10) & 0x1f;
    int mantissa = h & 0x3ff;
    float v;
    if (exp == 0) {
      v = mantissa * 0x1p-24f;
    } else if (exp == 31) {
      v = mantissa == 0 ? Float.POSITIVE_INFINITY : Float.NaN;
    } else {
      v = Float.intBitsToFloat(((exp - 15 + 127) << 23) | (mantissa << 13));
    }
    return sign == 1 ? -v : v;
  }

  private TfjsWeights() {}
}

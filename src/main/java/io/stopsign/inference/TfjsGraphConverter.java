package io.stopsign.inference;

import com.google.protobuf.ByteString;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Converts a TensorFlow.js graph model (model.json + weight shards) into a GraphDef that TensorFlow
 * Java runs: constants filled from the shards, tfjs-only fused ops rewritten ({@link FusedOps}),
 * int64 types read as int32 (what the shards hold).
 */
final class TfjsGraphConverter {

  /**
   * The graph and the input/output tensor names its signature declares (empty when it has none).
   */
  record Converted(GraphDef graph, List<String> inputs, List<String> outputs) {}

  static Converted convert(Path modelJson) {
    String source = modelJson.toString();
    JsonObject root;
    try {
      root = new JsonObject(Files.readString(modelJson, StandardCharsets.UTF_8));
    } catch (java.nio.charset.CharacterCodingException | DecodeException | ClassCastException e) {
      throw new ModelException(source + ": not a TensorFlow.js model.json (not a JSON object)", e);
    } catch (IOException e) {
      throw new ModelException(source + ": cannot read (" + e + ")", e);
    }
    JsonObject topology = root.getJsonObject("modelTopology");
    JsonArray manifest = root.getJsonArray("weightsManifest");
    if (topology == null || manifest == null || !topology.containsKey("node")) {
      throw new ModelException(
          source
              + ": not a TensorFlow.js graph model (expected modelTopology.node and"
              + " weightsManifest)");
    }
    if (topology.getJsonObject("library", new JsonObject()).containsKey("function")) {
      throw new ModelException(source + ": graph functions (control flow) are not supported");
    }
    Map<String, TensorProto> weights = TfjsWeights.read(modelJson.getParent(), manifest, source);
    GraphDef.Builder graph = GraphDef.newBuilder();
    for (Object o : topology.getJsonArray("node")) {
      NodeDef node = node((JsonObject) o, weights, source);
      graph.addAllNode(FusedOps.rewrite(node, source));
    }
    JsonObject signature = root.getJsonObject("signature", new JsonObject());
    return new Converted(
        graph.build(),
        names(signature.getJsonObject("inputs")),
        names(signature.getJsonObject("outputs")));
  }

  private static List<String> names(JsonObject tensors) {
    List<String> out = new ArrayList<>();
    if (tensors != null) {
      tensors.forEach(e -> out.add(((JsonObject) e.getValue()).getString("name", e.getKey())));
    }
    return out;
  }

  private static NodeDef node(JsonObject json, Map<String, TensorProto> weights, String source) {
    String name = json.getString("name");
    NodeDef.Builder node = NodeDef.newBuilder().setName(name).setOp(json.getString("op"));
    for (Object in : json.getJsonArray("input", new JsonArray())) {
      node.addInput(String.valueOf(in));
    }
    JsonObject attrs = json.getJsonObject("attr", new JsonObject());
    for (String key : attrs.fieldNames()) {
      if (!key.startsWith("_")) {
        node.putAttr(key, attr(attrs.getJsonObject(key), name, key, source));
      }
    }
    if (node.getOp().equals("Const")) {
      TensorProto value = weights.get(name);
      if (value == null) {
        throw new ModelException(source + ": constant " + name + " has no weights in the manifest");
      }
      node.putAttr("value", AttrValue.newBuilder().setTensor(value).build());
      node.putAttr("dtype", AttrValue.newBuilder().setType(value.getDtype()).build());
    }
    return node.build();
  }

  private static AttrValue attr(JsonObject a, String node, String key, String source) {
    AttrValue.Builder v = AttrValue.newBuilder();
    if (a.containsKey("type")) {
      v.setType(type(a.getString("type")));
    } else if (a.containsKey("s")) {
      v.setS(ByteString.copyFrom(Base64.getDecoder().decode(a.getString("s"))));
    } else if (a.containsKey("i")) {
      v.setI(Long.parseLong(String.valueOf(a.getValue("i"))));
    } else if (a.containsKey("f")) {
      v.setF(Float.parseFloat(String.valueOf(a.getValue("f"))));
    } else if (a.containsKey("b")) {
      v.setB(Boolean.parseBoolean(String.valueOf(a.getValue("b"))));
    } else if (a.containsKey("shape")) {
      v.setShape(shape(a.getJsonObject("shape")));
    } else if (a.containsKey("tensor")) {
      JsonObject t = a.getJsonObject("tensor");
      v.setTensor(
          TensorProto.newBuilder()
              .setDtype(DataType.valueOf(t.getString("dtype", "DT_FLOAT")))
              .setTensorShape(shape(t.getJsonObject("tensorShape", new JsonObject()))));
    } else if (a.containsKey("list")) {
      v.setList(list(a.getJsonObject("list")));
    } else {
      throw new ModelException(
          source
              + ": node "
              + node
              + " attribute "
              + key
              + " has an unsupported kind "
              + a.fieldNames());
    }
    return v.build();
  }

  private static AttrValue.ListValue list(JsonObject l) {
    AttrValue.ListValue.Builder b = AttrValue.ListValue.newBuilder();
    for (Object s : l.getJsonArray("s", new JsonArray())) {
      b.addS(ByteString.copyFrom(Base64.getDecoder().decode(String.valueOf(s))));
    }
    for (Object i : l.getJsonArray("i", new JsonArray())) {
      b.addI(Long.parseLong(String.valueOf(i)));
    }
    for (Object f : l.getJsonArray("f", new JsonArray())) {
      b.addF(Float.parseFloat(String.valueOf(f)));
    }
    for (Object x : l.getJsonArray("b", new JsonArray())) {
      b.addB(Boolean.parseBoolean(String.valueOf(x)));
    }
    for (Object t : l.getJsonArray("type", new JsonArray())) {
      b.addType(type(String.valueOf(t)));
    }
    for (Object s : l.getJsonArray("shape", new JsonArray())) {
      b.addShape(shape((JsonObject) s));
    }
    return b.build();
  }

  /**
   * TF.js has no int64: its converter stores int64 weights as int32, so ops typed int64 take int32,
   * as in the TF.js runtime (NanoDet's SparseToDense and Reshape shapes).
   */
  private static DataType type(String name) {
    DataType t = DataType.valueOf(name);
    return t == DataType.DT_INT64 ? DataType.DT_INT32 : t;
  }

  private static TensorShapeProto shape(JsonObject s) {
    TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
    if (Boolean.parseBoolean(String.valueOf(s.getValue("unknownRank")))) {
      return b.setUnknownRank(true).build();
    }
    for (Object d : s.getJsonArray("dim", new JsonArray())) {
      Object size = ((JsonObject) d).getValue("size");
      b.addDim(
          TensorShapeProto.Dim.newBuilder()
              .setSize(size == null ? 0 : Long.parseLong(String.valueOf(size))));
    }
    return b.build();
  }

  private TfjsGraphConverter() {}
}

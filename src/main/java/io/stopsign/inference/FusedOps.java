package io.stopsign.inference;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;

/**
 * Rewrites TF.js's fused ops into ones TensorFlow 2.18 runs: {@code FusedDepthwiseConv2dNative}
 * (tfjs-only) becomes DepthwiseConv2dNative + BiasAdd + activation; {@code _FusedConv2D} gets the
 * {@code TArgs} attribute the converter leaves out.
 */
final class FusedOps {
  private static final Set<String> DEPTHWISE_ATTRS =
      Set.of("T", "strides", "padding", "explicit_paddings", "data_format", "dilations");
  private static final Set<String> ACTIVATIONS =
      Set.of("Relu", "Relu6", "Elu", "Sigmoid", "Tanh", "LeakyRelu");

  static List<NodeDef> rewrite(NodeDef node, String source) {
    return switch (node.getOp()) {
      case "FusedDepthwiseConv2dNative" -> depthwise(node, source);
      case "_FusedConv2D" -> List.of(withTArgs(node));
      default -> List.of(node);
    };
  }

  private static NodeDef withTArgs(NodeDef node) {
    if (node.containsAttr("TArgs")) {
      return node;
    }
    AttrValue t =
        node.getAttrOrDefault(
            "T", AttrValue.newBuilder().setType(org.tensorflow.proto.DataType.DT_FLOAT).build());
    long args = node.getAttrOrDefault("num_args", AttrValue.getDefaultInstance()).getI();
    AttrValue.ListValue.Builder types = AttrValue.ListValue.newBuilder();
    for (long i = 0; i < args; i++) {
      types.addType(t.getType());
    }
    return node.toBuilder().putAttr("TArgs", AttrValue.newBuilder().setList(types).build()).build();
  }

  private static List<NodeDef> depthwise(NodeDef node, String source) {
    List<String> data = new ArrayList<>();
    List<String> control = new ArrayList<>();
    for (String in : node.getInputList()) {
      (in.startsWith("^") ? control : data).add(in);
    }
    AttrValue t = node.getAttrOrThrow("T");
    NodeDef.Builder conv =
        NodeDef.newBuilder()
            .setOp("DepthwiseConv2dNative")
            .addInput(data.get(0))
            .addInput(data.get(1));
    control.forEach(conv::addInput);
    node.getAttrMap()
        .forEach(
            (k, v) -> {
              if (DEPTHWISE_ATTRS.contains(k)) {
                conv.putAttr(k, v);
              }
            });
    List<NodeDef.Builder> chain = new ArrayList<>(List.of(conv));
    int arg = 2;
    for (ByteString fused :
        node.getAttrOrDefault("fused_ops", AttrValue.getDefaultInstance()).getList().getSList()) {
      String op = fused.toStringUtf8();
      NodeDef.Builder next = NodeDef.newBuilder().setOp(op).putAttr("T", t);
      if (op.equals("BiasAdd")) {
        if (arg >= data.size()) {
          throw new ModelException(
              source + ": node " + node.getName() + " fuses BiasAdd without a bias input");
        }
        next.addInput("").addInput(data.get(arg++));
        if (node.containsAttr("data_format")) {
          next.putAttr("data_format", node.getAttrOrThrow("data_format"));
        }
      } else if (ACTIVATIONS.contains(op)) {
        next.addInput("");
        if (op.equals("LeakyRelu") && node.containsAttr("leakyrelu_alpha")) {
          next.putAttr("alpha", node.getAttrOrThrow("leakyrelu_alpha"));
        }
      } else {
        throw new ModelException(
            source + ": node " + node.getName() + " fuses " + op + ", which cannot be rewritten");
      }
      chain.add(next);
    }
    // each step reads the one before; the last keeps the original name so consumers still find it
    List<NodeDef> out = new ArrayList<>();
    for (int i = 0; i < chain.size(); i++) {
      NodeDef.Builder b = chain.get(i);
      b.setName(
          i == chain.size() - 1 ? node.getName() : node.getName() + "/" + b.getOp() + "_" + i);
      if (i > 0) {
        b.setInput(0, out.get(i - 1).getName());
      }
      out.add(b.build());
    }
    return out;
  }

  private FusedOps() {}
}

package io.stopsign.inference;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/** Finds a frozen graph's input and output when nothing names them. */
final class GraphNames {
  private static final Set<String> NOT_OUTPUTS =
      Set.of("Const", "NoOp", "Placeholder", "Assert", "SaveV2", "RestoreV2");

  static List<String> placeholders(GraphDef def) {
    List<String> out = new ArrayList<>();
    for (NodeDef n : def.getNodeList()) {
      if (n.getOp().equals("Placeholder")) {
        out.add(n.getName());
      }
    }
    return out;
  }

  /** Nodes whose output nothing consumes: the graph's results. */
  static List<String> sinks(GraphDef def) {
    Set<String> consumed = new HashSet<>();
    for (NodeDef n : def.getNodeList()) {
      for (String in : n.getInputList()) {
        consumed.add(opName(in));
      }
    }
    List<String> out = new ArrayList<>();
    for (NodeDef n : def.getNodeList()) {
      if (!consumed.contains(n.getName()) && !NOT_OUTPUTS.contains(n.getOp())) {
        out.add(n.getName());
      }
    }
    return out;
  }

  /** "^a/b:1" -> "a/b". */
  static String opName(String tensorName) {
    String s = tensorName.startsWith("^") ? tensorName.substring(1) : tensorName;
    int colon = s.lastIndexOf(':');
    return colon > 0 && s.substring(colon + 1).chars().allMatch(Character::isDigit)
        ? s.substring(0, colon)
        : s;
  }

  private GraphNames() {}
}

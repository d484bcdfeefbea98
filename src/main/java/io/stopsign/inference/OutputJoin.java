package io.stopsign.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * Joins a detector's per-level outputs ({@code [1, cells, 80]} class scores and {@code [1, cells,
 * B]} boxes for each stride, as NanoDet's TF.js graph has them) into the one {@code [1, N, 80 + B]}
 * tensor the engine reads: levels from most cells (finest stride) to fewest, scores before boxes.
 */
final class OutputJoin {
  static final String NAME = "stopsign_joined_outputs";

  /** Adds the join to {@code graph} and returns the joined tensor's name. */
  static String join(Graph graph, List<String> outputs, String source) {
    // cells -> [scores, boxes]
    Map<Long, Output<TFloat32>[]> levels = new TreeMap<>(Comparator.reverseOrder());
    for (String name : outputs) {
      Output<TFloat32> out = output(graph, name, source);
      Shape s = out.shape();
      if (s.numDimensions() != 3 || s.size(0) != 1 || s.size(1) < 1 || s.size(2) < 1) {
        throw mismatch(source, outputs, name + " is " + s);
      }
      @SuppressWarnings("unchecked")
      Output<TFloat32>[] pair = levels.computeIfAbsent(s.size(1), k -> new Output[2]);
      int slot = s.size(2) == NanoDetDecoder.CLASSES ? 0 : 1;
      if (pair[slot] != null) {
        throw mismatch(source, outputs, "two " + (slot == 0 ? "score" : "box") + " outputs");
      }
      pair[slot] = out;
    }
    Ops tf = Ops.create(graph);
    List<Operand<TFloat32>> rows = new ArrayList<>();
    int level = 0;
    for (Output<TFloat32>[] pair : levels.values()) {
      if (pair[0] == null || pair[1] == null) {
        throw mismatch(source, outputs, "a level without both scores and boxes");
      }
      rows.add(
          tf.withName(NAME + "_level" + level++)
              .concat(Arrays.asList(pair[0], pair[1]), tf.constant(2)));
    }
    return tf.withName(NAME).concat(rows, tf.constant(1)).op().name();
  }

  private static Output<TFloat32> output(Graph graph, String tensor, String source) {
    String op = GraphNames.opName(tensor);
    int colon = tensor.lastIndexOf(':');
    int index = op.equals(tensor) ? 0 : Integer.parseInt(tensor.substring(colon + 1));
    var operation = graph.operation(op);
    if (operation == null) {
      throw new ModelException(source + ": the graph has no output " + tensor);
    }
    return operation.output(index);
  }

  private static ModelException mismatch(String source, List<String> outputs, String why) {
    return new ModelException(
        source
            + ": outputs "
            + outputs
            + " are not per-stride [1,cells,80] scores and [1,cells,B] boxes ("
            + why
            + ")");
  }

  private OutputJoin() {}
}

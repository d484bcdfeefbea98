package io.stopsign.api;

import static io.stopsign.api.ApiHarness.Pass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class ApiStatsTest {
  @TempDir static Path dataDir;
  static ApiHarness api;

  @BeforeAll
  static void start(Vertx vertx) {
    api =
        ApiHarness.start(vertx, Map.of("data_dir", dataDir.toString(), "timezone", "Europe/Paris"));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  @DisplayName(
      "GET /stats buckets days in the configured zone: 23:30 UTC lands in the next Paris day;"
          + " rejected never counts")
  void daysInTheConfiguredZone() {
    String cam = ApiHarness.camera("days");
    api.insertPass(new Pass(cam, Instant.parse("2024-09-12T10:00:00Z")).verdict("full"));
    api.insertPass(new Pass(cam, Instant.parse("2024-09-12T11:00:00Z")).verdict("rolling"));
    api.insertPass(new Pass(cam, Instant.parse("2024-09-12T12:00:00Z")).verdict("rejected"));
    api.insertPass(new Pass(cam, Instant.parse("2024-09-12T23:30:00Z")).verdict("full"));
    api.insertPass(new Pass(cam, Instant.parse("2024-09-13T08:00:00Z")).verdict("full"));
    api.insertPass(new Pass(cam, Instant.parse("2024-09-13T09:00:00Z")).verdict("none"));
    api.insertPass(new Pass(ApiHarness.camera("elsewhere"), Instant.parse("2024-09-13T09:00:00Z")));

    JsonObject paris =
        api.getJson(
            "/api/stats?camera="
                + cam
                + "&from=2024-09-12T00:00:00%2B02:00&to=2024-09-14T00:00:00%2B02:00");
    assertThat(paris.getString("timezone")).isEqualTo("Europe/Paris");
    assertThat(paris.getString("bucket")).isEqualTo("day");
    JsonArray days = paris.getJsonArray("buckets");
    assertThat(days).hasSize(2);
    assertCounts(days.getJsonObject(0), "2024-09-12T00:00:00+02:00", 1, 1, 0, 1, 0.5);
    assertCounts(days.getJsonObject(1), "2024-09-13T00:00:00+02:00", 2, 0, 1, 0, 2.0 / 3.0);
    assertThat(days.getJsonObject(1).getDouble("start_ts_utc"))
        .isEqualTo(Instant.parse("2024-09-12T22:00:00Z").getEpochSecond());
    JsonObject totals = paris.getJsonObject("totals");
    assertThat(totals.getLong("total")).isEqualTo(6);
    assertThat(totals.getDouble("compliance")).isCloseTo(3.0 / 5.0, within(1e-9));

    // tz= overrides the configured zone: the same pass now counts on the 12th
    JsonObject utc =
        api.getJson(
            "/api/stats?camera="
                + cam
                + "&tz=UTC&from=2024-09-12T00:00:00Z&to=2024-09-14T00:00:00Z");
    assertCounts(
        utc.getJsonArray("buckets").getJsonObject(0),
        "2024-09-12T00:00:00Z",
        2,
        1,
        0,
        1,
        2.0 / 3.0);
    assertCounts(
        utc.getJsonArray("buckets").getJsonObject(1), "2024-09-13T00:00:00Z", 1, 0, 1, 0, 0.5);
  }

  @Test
  @DisplayName(
      "GET /stats?bucket=hour lists every hour of the range, empty ones included, and follows"
          + " half-hour zones")
  void hours() {
    String cam = ApiHarness.camera("hours");
    api.insertPass(new Pass(cam, Instant.parse("2024-09-12T10:00:00Z")).verdict("full"));
    api.insertPass(new Pass(cam, Instant.parse("2024-09-12T11:10:00Z")).verdict("rolling"));

    JsonArray utc =
        api.getJson(
                "/api/stats?bucket=hour&tz=UTC&camera="
                    + cam
                    + "&from=2024-09-12T09:00:00Z&to=2024-09-12T13:00:00Z")
            .getJsonArray("buckets");
    assertThat(utc).hasSize(4);
    assertCounts(utc.getJsonObject(0), "2024-09-12T09:00:00Z", 0, 0, 0, 0, null);
    assertCounts(utc.getJsonObject(1), "2024-09-12T10:00:00Z", 1, 0, 0, 0, 1.0);
    assertCounts(utc.getJsonObject(2), "2024-09-12T11:00:00Z", 0, 1, 0, 0, 0.0);
    assertCounts(utc.getJsonObject(3), "2024-09-12T12:00:00Z", 0, 0, 0, 0, null);

    // India is UTC+05:30: its hours start at half past in UTC
    JsonArray india =
        api.getJson(
                "/api/stats?bucket=hour&tz=Asia/Kolkata&camera="
                    + cam
                    + "&from=2024-09-12T09:30:00Z&to=2024-09-12T11:30:00Z")
            .getJsonArray("buckets");
    assertThat(india).hasSize(2);
    assertCounts(india.getJsonObject(0), "2024-09-12T15:00:00+05:30", 1, 0, 0, 0, 1.0);
    assertCounts(india.getJsonObject(1), "2024-09-12T16:00:00+05:30", 0, 1, 0, 0, 0.0);
  }

  @Test
  @DisplayName("GET /stats days follow the calendar across a DST change (a 25-hour day in Paris)")
  void daylightSaving() {
    String cam = ApiHarness.camera("dst");
    api.insertPass(
        new Pass(cam, Instant.parse("2024-10-27T22:30:00Z")).verdict("full")); // 23:30 CET, Oct 27
    api.insertPass(
        new Pass(cam, Instant.parse("2024-10-27T23:30:00Z")).verdict("none")); // 00:30 CET, Oct 28
    JsonArray days =
        api.getJson(
                "/api/stats?camera="
                    + cam
                    + "&from=2024-10-26T00:00:00%2B02:00&to=2024-10-29T00:00:00%2B01:00")
            .getJsonArray("buckets");
    assertThat(days).hasSize(3);
    assertCounts(days.getJsonObject(0), "2024-10-26T00:00:00+02:00", 0, 0, 0, 0, null);
    assertCounts(days.getJsonObject(1), "2024-10-27T00:00:00+02:00", 1, 0, 0, 0, 1.0);
    assertCounts(days.getJsonObject(2), "2024-10-28T00:00:00+01:00", 0, 0, 1, 0, 0.0);
  }

  @Test
  @DisplayName(
      "fixed-offset zones reach Postgres with the right sign (it reads '+05:30' the POSIX way)")
  void fixedOffsetsForPostgres() {
    for (String zone : List.of("+05:30", "-03:00", "Z", "GMT+2", "Europe/Paris")) {
      String name = TimeZones.postgresName(ZoneId.of(zone));
      Row row =
          ApiHarness.await(
                  api.pool
                      .preparedQuery("SELECT date_trunc('day', $1::timestamptz, $2::text) AS d")
                      .execute(Tuple.of(OffsetDateTime.parse("2024-09-12T20:00:00Z"), name)))
              .iterator()
              .next();
      Instant expected =
          Instant.parse("2024-09-12T20:00:00Z")
              .atZone(ZoneId.of(zone))
              .truncatedTo(java.time.temporal.ChronoUnit.DAYS)
              .toInstant();
      assertThat(row.getOffsetDateTime("d").toInstant())
          .as(zone + " as " + name)
          .isEqualTo(expected);
    }
  }

  @Test
  @DisplayName(
      "GET /records ranks full stops by duration, no-stops by entry speed, rolling stops by lowest"
          + " speed")
  void records() {
    String cam = ApiHarness.camera("records");
    Instant t = Instant.parse("2024-09-12T10:00:00Z");
    UUID stop35 = api.insertPass(new Pass(cam, t).verdict("full").stop(3.5f));
    api.insertPass(new Pass(cam, t.plusSeconds(1)).verdict("full").stop(1.2f));
    UUID stop20 = api.insertPass(new Pass(cam, t.plusSeconds(2)).verdict("full").stop(2.0f));
    api.insertPass(new Pass(cam, t.plusSeconds(3)).verdict("rejected").stop(50f).entrySpeed(99f));
    UUID fast55 = api.insertPass(new Pass(cam, t.plusSeconds(4)).verdict("none").entrySpeed(55f));
    UUID fast30 = api.insertPass(new Pass(cam, t.plusSeconds(5)).verdict("none").entrySpeed(30f));
    api.insertPass(new Pass(cam, t.plusSeconds(6)).verdict("none").entrySpeed(10f));
    UUID roll9 = api.insertPass(new Pass(cam, t.plusSeconds(7)).verdict("rolling").minSpeed(9f));
    UUID roll5 = api.insertPass(new Pass(cam, t.plusSeconds(8)).verdict("rolling").minSpeed(5f));

    JsonObject r =
        api.getJson(
            "/api/records?limit=2&camera="
                + cam
                + "&from=2024-09-12T00:00:00Z&to=2024-09-13T00:00:00Z");
    assertThat(ids(r.getJsonArray("longest_stops"))).containsExactly(stop35, stop20);
    assertThat(r.getJsonArray("longest_stops").getJsonObject(0).getDouble("stop_duration"))
        .isEqualTo(3.5);
    assertThat(ids(r.getJsonArray("fastest_no_stops"))).containsExactly(fast55, fast30);
    assertThat(ids(r.getJsonArray("fastest_rolling"))).containsExactly(roll9, roll5);
    // outside the range: nothing
    JsonObject before =
        api.getJson(
            "/api/records?camera=" + cam + "&from=2024-09-01T00:00:00Z&to=2024-09-02T00:00:00Z");
    assertThat(before.getJsonArray("longest_stops")).isEmpty();
  }

  @Test
  @DisplayName(
      "GET /records ranks local days by compliance: best and worst first, days with only rejected passes left out")
  void bestAndWorstDays() {
    String cam = ApiHarness.camera("days");
    Instant d1 = Instant.parse("2024-10-01T08:00:00Z");
    api.insertPass(new Pass(cam, d1).verdict("full"));
    api.insertPass(new Pass(cam, d1.plusSeconds(60)).verdict("none"));
    Instant d2 = d1.plus(1, java.time.temporal.ChronoUnit.DAYS);
    api.insertPass(new Pass(cam, d2).verdict("full"));
    api.insertPass(new Pass(cam, d2.plusSeconds(60)).verdict("full"));
    Instant d3 = d2.plus(1, java.time.temporal.ChronoUnit.DAYS);
    api.insertPass(new Pass(cam, d3).verdict("rolling"));
    Instant d4 = d3.plus(1, java.time.temporal.ChronoUnit.DAYS);
    api.insertPass(new Pass(cam, d4).verdict("rejected"));

    JsonObject r =
        api.getJson(
            "/api/records?camera=" + cam + "&from=2024-10-01T00:00:00Z&to=2024-10-06T00:00:00Z");
    assertThat(r.getString("timezone")).isEqualTo("Europe/Paris");
    JsonArray best = r.getJsonArray("best_days");
    assertThat(best.stream().map(d -> ((JsonObject) d).getString("start")))
        .containsExactly(
            "2024-10-02T00:00:00+02:00", "2024-10-01T00:00:00+02:00", "2024-10-03T00:00:00+02:00");
    assertThat(best.getJsonObject(0).getDouble("compliance")).isEqualTo(1.0);
    assertThat(best.getJsonObject(1).getLong("none")).isEqualTo(1L);
    JsonArray worst = r.getJsonArray("worst_days");
    assertThat(worst.getJsonObject(0).getString("start")).isEqualTo("2024-10-03T00:00:00+02:00");
    assertThat(worst.getJsonObject(0).getDouble("compliance")).isEqualTo(0.0);
  }

  @Test
  @DisplayName("GET /session-metrics returns a camera's samples oldest first, cut at the limit")
  void sessionMetrics() {
    String cam = ApiHarness.camera("metrics");
    UUID run = UUID.randomUUID();
    Instant t = Instant.parse("2024-09-12T10:00:00Z");
    for (int i = 2; i >= 0; i--) {
      ApiHarness.await(
          api.pool
              .preparedQuery(
                  "INSERT INTO session_metrics (ts_utc, camera, run_id, fps_decode, fps_infer,"
                      + " latency_ms_p50, latency_ms_p95, queue_drops, cpu) VALUES ($1, $2, $3, $4,"
                      + " $5, $6, $7, $8, $9)")
              .execute(
                  Tuple.of(
                          ApiHarness.utc(t.plusSeconds(10L * i)),
                          cam,
                          run,
                          30f + i,
                          25.5f,
                          40f,
                          80f,
                          (long) i)
                      .addFloat(0.3f)));
    }
    String range = "&from=2024-09-12T09:00:00Z&to=2024-09-12T11:00:00Z";
    JsonObject all = api.getJson("/api/session-metrics?camera=" + cam + range);
    assertThat(all.getBoolean("truncated")).isFalse();
    JsonArray items = all.getJsonArray("items");
    assertThat(items).hasSize(3);
    JsonObject first = items.getJsonObject(0);
    assertThat(first.getDouble("ts_utc")).isEqualTo(t.getEpochSecond());
    assertThat(first.getString("run_id")).isEqualTo(run.toString());
    assertThat(first.getDouble("fps_decode")).isEqualTo(30.0);
    assertThat(first.getDouble("fps_infer")).isEqualTo(25.5);
    assertThat(first.getDouble("cpu")).isEqualTo(0.3);
    assertThat(items.getJsonObject(2).getLong("queue_drops")).isEqualTo(2);

    JsonObject cut = api.getJson("/api/session-metrics?limit=2&camera=" + cam + range);
    assertThat(cut.getBoolean("truncated")).isTrue();
    assertThat(cut.getJsonArray("items").getJsonObject(1).getDouble("ts_utc"))
        .isEqualTo(t.getEpochSecond() + 10);
  }

  private static void assertCounts(
      JsonObject bucket,
      String start,
      long full,
      long rolling,
      long none,
      long rejected,
      Double compliance) {
    assertThat(bucket.getString("start")).isEqualTo(start);
    assertThat(bucket.getLong("full")).as(start + " full").isEqualTo(full);
    assertThat(bucket.getLong("rolling")).as(start + " rolling").isEqualTo(rolling);
    assertThat(bucket.getLong("none")).as(start + " none").isEqualTo(none);
    assertThat(bucket.getLong("rejected")).as(start + " rejected").isEqualTo(rejected);
    assertThat(bucket.getLong("total")).isEqualTo(full + rolling + none + rejected);
    if (compliance == null) {
      assertThat(bucket.getValue("compliance")).as(start + " compliance").isNull();
    } else {
      assertThat(bucket.getDouble("compliance"))
          .as(start + " compliance")
          .isCloseTo(compliance, within(1e-9));
    }
  }

  private static List<UUID> ids(JsonArray passes) {
    List<UUID> out = new ArrayList<>();
    passes.forEach(o -> out.add(UUID.fromString(((JsonObject) o).getString("id"))));
    return out;
  }
}

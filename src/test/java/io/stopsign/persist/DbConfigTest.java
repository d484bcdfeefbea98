package io.stopsign.persist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopsign.ConfigLoader;
import io.stopsign.config.ConfigException;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DbConfigTest {

  @Test
  @DisplayName("a database password is replaced wherever the URL is shown")
  void redactsPasswords() {
    assertThat(DbConfig.redact("postgresql://app:hunter2@db:5432/stopsign"))
        .isEqualTo("postgresql://app:***@db:5432/stopsign");
    assertThat(DbConfig.redact("jdbc:postgresql://db/stopsign?user=app&password=hunter2&ssl=true"))
        .isEqualTo("jdbc:postgresql://db/stopsign?user=app&password=***&ssl=true");
    assertThat(DbConfig.redact("postgresql://db:5432/stopsign"))
        .isEqualTo("postgresql://db:5432/stopsign");
    assertThat(DbErrors.kind("ConnectException: Connection refused: /10.1.2.3:5432"))
        .isEqualTo("ConnectException");
  }

  @Test
  @DisplayName("a db.url that is no Postgres URL stops start-up without printing its password")
  void badUrlIsRedacted() {
    assertThatThrownBy(
            () ->
                ConfigLoader.load(
                    null,
                    null,
                    Map.of("STOPSIGN_DB_URL", "mysql://root:hunter2@db:3306/x"),
                    new Properties()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "config: db.url = \"mysql://root:***@db:3306/x\": must be a postgresql:// or"
                + " jdbc:postgresql:// URL")
        .hasMessageNotContaining("hunter2");
    assertThatThrownBy(
            () -> Database.parseUrl("postgresql://root:hunter2@db:notaport/x?password=hunter2"))
        .isInstanceOf(ConfigException.class)
        .hasMessageNotContaining("hunter2");
  }
}

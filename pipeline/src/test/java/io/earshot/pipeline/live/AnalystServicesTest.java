package io.earshot.pipeline.live;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnalystServicesTest {

    @Test
    void shouldPrintTheStoreUrlWithoutItsCredentials() {
        assertThat(AnalystServices.withoutCredentials(
                "jdbc:postgresql://db:5432/earshot?user=earshot&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/earshot?user=***&password=***&ssl=true");
        assertThat(AnalystServices.withoutCredentials("jdbc:postgresql://earshot:s3cret@db/earshot?sslpassword=k"))
                .isEqualTo("jdbc:postgresql://***@db/earshot?sslpassword=***");
        assertThat(AnalystServices.withoutCredentials("jdbc:postgresql://localhost:5432/earshot"))
                .isEqualTo("jdbc:postgresql://localhost:5432/earshot");
    }
}

package io.breachwatch.incident;

import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Settings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PiCatalogTest {

    @Test
    void mapsCrmFieldsToPiplCategories() {
        var catalog = PiCatalog.defaults();

        assertThat(catalog.categoriesOf(List.of("name", "mobile", "id_card_number", "bank_account", "stage")))
                .containsExactly(PiCategory.BASIC_IDENTITY, PiCategory.CONTACT, PiCategory.SPECIFIC_IDENTITY, PiCategory.FINANCIAL_ACCOUNT);
        assertThat(catalog.categoryOf("ID-Card-Number")).isEqualTo(PiCategory.SPECIFIC_IDENTITY);
        assertThat(catalog.categoryOf("opportunity_stage")).isNull();
        assertThat(PiCategory.SPECIFIC_IDENTITY.sensitive()).isTrue();
        assertThat(PiCategory.CONTACT.sensitive()).isFalse();
    }

    @Test
    void extraMappingsAddAndOverride() {
        var catalog = PiCatalog.from(Settings.of(Map.of("pi.field-categories", "huji:specific_identity, email:other_pi")));

        assertThat(catalog.categoryOf("huji")).isEqualTo(PiCategory.SPECIFIC_IDENTITY);
        assertThat(catalog.categoryOf("email")).isEqualTo(PiCategory.OTHER_PI);
    }

    @Test
    void badMappingNamesTheKey() {
        assertThatThrownBy(() -> PiCatalog.from(Settings.of(Map.of("pi.field-categories", "huji:secret"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("pi.field-categories");
    }
}

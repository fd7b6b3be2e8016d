package io.breachwatch.notice;

import io.breachwatch.config.ConfigException;
import io.breachwatch.config.Settings;
import io.breachwatch.incident.ExfiltrationChain;
import io.breachwatch.incident.Obligations;
import io.breachwatch.topology.TopologyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NoticeConfigTest {
    @TempDir
    Path dir;

    @Test
    void everyRuleHasItsOwnCauseInBothLanguagesAndTheRestFallsBack() {
        var templates = NoticeTemplates.load(null);
        var rules = new ArrayList<String>();
        for (var field : TopologyConfig.fields()) {
            var key = field.key();
            if (key.startsWith("detect.") && key.endsWith(".enabled")) {
                rules.add(key.substring("detect.".length(), key.length() - ".enabled".length()));
            }
        }
        assertThat(rules).contains(ExfiltrationChain.RULE, "bulk-export", "export-baseline").hasSize(12);

        for (var language : Language.values()) {
            var own = templates.ownTexts(language);
            for (var rule : rules) {
                assertThat(own).as(language + " " + rule).contains(rule + ".cause", rule + ".remedial_measures");
            }
            for (var item : NoticeTemplates.RULE_ITEMS) {
                assertThat(own).contains(NoticeTemplates.FALLBACK_RULE + "." + item);
            }
        }
        assertThat(templates.ownTexts(Language.ZH_CN)).as("the same texts in both languages").isEqualTo(templates.ownTexts(Language.EN));
    }

    @Test
    void everyNoticeKindIsAnObligationCode() {
        assertThat(NoticeKind.codes()).containsExactlyInAnyOrder(Obligations.PIPL_57_AUTHORITY, Obligations.PIPL_57_INDIVIDUALS,
                Obligations.CAC_INCIDENT_REPORT, Obligations.GDPR_33);
        assertThat(NoticeKind.of(Obligations.PIPL_38_CROSS_BORDER)).as("a check, not a notice").isNull();
    }

    @Test
    void unknownPlaceholderInATemplateFailsNamingItAndTheFile() throws IOException {
        var file = write("notice.en.txt", "${pi_categories} ${cause} ${possible_harm} ${remedial_measures} "
                + "${what_individuals_can_do} ${processor_contact} ${victim_names}");

        assertThatThrownBy(() -> load(Map.of("notices.templates-dir", dir.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("notices.templates-dir").hasMessageContaining(file.toString()).hasMessageContaining("${victim_names}");
    }

    @Test
    void templateLeavingOutAnArticle57ItemFails() throws IOException {
        write("notice.zh-CN.txt", "${pi_categories} ${cause} ${possible_harm} ${remedial_measures} ${what_individuals_can_do}");

        assertThatThrownBy(() -> load(Map.of("notices.templates-dir", dir.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("notice.zh-CN.txt").hasMessageContaining("${processor_contact}")
                .hasMessageContaining("PIPL Art. 57");
    }

    @Test
    void unterminatedPlaceholderFails() throws IOException {
        write("rules.en.properties", "bulk-export.cause=Exported ${record_count records.");

        assertThatThrownBy(() -> load(Map.of("notices.templates-dir", dir.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("bulk-export.cause").hasMessageContaining("'${' without");
    }

    @Test
    void unknownRuleTextKeyFailsNamingIt() throws IOException {
        write("rules.en.properties", "bulk-exprot.cause=Exported.");

        assertThatThrownBy(() -> load(Map.of("notices.templates-dir", dir.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'bulk-exprot.cause'").hasMessageContaining("bulk-export");
    }

    @Test
    void missingOrEmptyTemplatesDirectoryFails() {
        var missing = dir.resolve("no-such-dir");
        assertThatThrownBy(() -> load(Map.of("notices.templates-dir", missing.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("notices.templates-dir").hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> load(Map.of("notices.templates-dir", dir.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("none of the template files").hasMessageContaining("notice.en.txt");
    }

    @Test
    void badTenantsFileFailsNamingTheKeyAndTheLine() throws IOException {
        var file = write("tenants.properties", "acme.contact=dpo@acme.example\nglobex=dpo@globex.example\n");

        assertThatThrownBy(() -> load(Map.of("notices.tenants-file", file.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("notices.tenants-file").hasMessageContaining(file.toString()).hasMessageContaining("'globex'");
    }

    @Test
    void missingTenantsFileFails() {
        var missing = dir.resolve("tenants.properties");

        assertThatThrownBy(() -> load(Map.of("notices.tenants-file", missing.toString())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("notices.tenants-file").hasMessageContaining("cannot read " + missing);
    }

    @Test
    void tenantsFileIsReadAsUtf8() throws IOException {
        var file = write("tenants.properties", "acme.contact=王敏 dpo@acme.example\n");

        var contacts = load(Map.of("notices.tenants-file", file.toString())).contacts();

        assertThat(contacts.contactOf("acme")).isEqualTo("王敏 dpo@acme.example");
        assertThat(contacts.contactOf("globex")).isEqualTo(NoticeConfig.CONTACT.defaultValue());
    }

    @Test
    void disabledNoticesReadNoFiles() {
        var config = load(Map.of("notices.enabled", "false", "notices.templates-dir", dir.resolve("absent").toString()));

        assertThat(config.enabled()).isFalse();
    }

    @Test
    void noticesTopicMustDifferFromTheOthers() {
        assertThatThrownBy(() -> TopologyConfig.from(Settings.of(Map.of("topics.notices", "crm.incidents"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("topics.notices");
    }

    private static NoticeConfig load(Map<String, String> settings) {
        return NoticeConfig.from(Settings.of(settings));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }
}

package io.breachwatch.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's configuration table is generated from the Field list; this fails when they drift. */
class ReadmeConfigTableTest {

    /** {@code mvn test -Dtest=ReadmeConfigTableTest -Dbreachwatch.readme.update=true} rewrites the table instead. */
    private static final boolean UPDATE = Boolean.getBoolean("breachwatch.readme.update");

    @Test
    void readmeConfigurationTableMatchesTheFieldList() throws IOException {
        var path = readme();
        var readme = Files.readString(path);
        var start = readme.indexOf(ConfigDocs.TABLE_START);
        var end = readme.indexOf(ConfigDocs.TABLE_END);
        assertThat(start).as("README.md has the marker " + ConfigDocs.TABLE_START).isNotNegative();
        assertThat(end).as("README.md has the marker " + ConfigDocs.TABLE_END).isGreaterThan(start);
        var expected = ConfigDocs.markdownTable(AppConfig.fields()).strip();
        if (UPDATE) {
            Files.writeString(path, readme.substring(0, start + ConfigDocs.TABLE_START.length()) + "\n" + expected
                    + "\n" + readme.substring(end));
            return;
        }
        var table = readme.substring(start + ConfigDocs.TABLE_START.length(), end).strip();
        assertThat(table)
                .as("README.md configuration table is out of date: regenerate it with ./breachwatch config --markdown"
                        + " or mvn test -Dtest=ReadmeConfigTableTest -Dbreachwatch.readme.update=true")
                .isEqualTo(expected);
    }

    /** The README at the repository root, found from the module directory Maven runs tests in. */
    private static Path readme() {
        for (var dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir.resolve("README.md");
            }
        }
        throw new IllegalStateException("README.md not found above " + Path.of("").toAbsolutePath());
    }
}

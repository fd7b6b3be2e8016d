package io.breachwatch.detect;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SortedNamesTest {

    @Test
    void holdsEachNameOnceInTheOrderATreeSetGives() {
        var names = List.of("mobile", "name", "address", "name", "email", "Zeta", "id_card_number", "mobile", "ärzte", "bank_account");
        var sorted = new SortedNames();
        var reference = new TreeSet<String>();
        for (var name : names) {
            assertThat(sorted.add(name)).as(name).isEqualTo(reference.add(name));
        }
        assertThat(sorted).containsExactlyElementsOf(reference);
        assertThat(sorted).hasSize(reference.size());
        assertThat(sorted.contains("email")).isTrue();
        assertThat(sorted.contains("phone")).isFalse();
        assertThat(sorted).isEqualTo(reference); // a Set like any other
    }

    @Test
    void anEmptySetIteratesNothing() {
        var empty = new SortedNames();
        assertThat(empty).isEmpty();
        assertThatThrownBy(() -> empty.iterator().next()).isInstanceOf(java.util.NoSuchElementException.class);
    }
}

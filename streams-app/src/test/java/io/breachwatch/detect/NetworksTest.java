package io.breachwatch.detect;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NetworksTest {

    @Test
    void masksIpv4ToThePrefix() {
        assertThat(Networks.of("10.1.200.7", 16, 48)).isEqualTo("v4:0a01/16");
        assertThat(Networks.of("10.1.200.7", 20, 48)).isEqualTo("v4:0a01c0/20");
        assertThat(Networks.of("10.1.200.7", 32, 48)).isEqualTo("v4:0a01c807/32");
        assertThat(Networks.of("10.1.200.7", 0, 48)).isEqualTo("v4:/0");
    }

    @Test
    void masksIpv6ToThePrefixInEveryNotation() {
        var expected = "v6:20010db80001/48";
        assertThat(Networks.of("2001:db8:1::1", 16, 48)).isEqualTo(expected);
        assertThat(Networks.of("2001:0db8:0001:ffff:0:0:0:1", 16, 48)).isEqualTo(expected);
        assertThat(Networks.of("[2001:db8:1::1]", 16, 48)).isEqualTo(expected);
        assertThat(Networks.of("2001:db8:1::1%eth0", 16, 48)).isEqualTo(expected);
        assertThat(Networks.of("::1", 16, 128)).isEqualTo("v6:00000000000000000000000000000001/128");
        assertThat(Networks.of("::", 16, 48)).isEqualTo("v6:000000000000/48");
        assertThat(Networks.of("1:2:3:4:5:6:7::", 16, 48)).isEqualTo("v6:000100020003/48");
    }

    @Test
    void readsIpv4MappedIpv6AsIpv4() {
        assertThat(Networks.of("::ffff:10.1.200.7", 16, 48)).isEqualTo("v4:0a01/16");
        assertThat(Networks.of("::ffff:0a01:c807", 16, 48)).isEqualTo("v4:0a01/16");
    }

    @Test
    void refusesWhatIsNotAnIpLiteralWithoutLookingItUp() {
        for (var bad : new String[]{"crm.example.com", "10.1.2", "10.1.2.256", "10.1.2.3.4", "1.2.3.-4", "+1.2.3.4",
                "2001:db8::1::2", "2001:db8:1:2:3:4:5:6:7", "2001:db8:1:2:3:4:5", "gggg::1", "12345::1", "::ffff:1.2.3",
                "-1::", "", " ", "1..2.3", "1.2.3.", ".1.2.3", "1000.2.3.4", "1.2.3.4."}) {
            assertThat(Networks.of(bad, 16, 48)).as(bad).isNull();
        }
        assertThat(Networks.of(null, 16, 48)).isNull();
    }
}

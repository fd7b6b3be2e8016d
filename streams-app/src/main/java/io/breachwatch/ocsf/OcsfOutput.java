package io.breachwatch.ocsf;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.breachwatch.schema.Incident;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The OCSF branch of the topology: incidents in, OCSF Detection Finding JSON out to {@link OcsfConfig#topic()},
 * key incident_id, with CloudEvents headers. The headers are new on every record: nothing of the input record's
 * headers reaches the SIEM.
 */
public final class OcsfOutput {
    static final String PROCESSOR = "ocsf-findings";
    static final String SINK = "ocsf-sink";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OcsfOutput() {
    }

    /** Adds the branch when enabled; does nothing otherwise. */
    public static void to(KStream<String, Incident> incidents, OcsfConfig config) {
        if (!config.enabled()) {
            return;
        }
        incidents.processValues(() -> new FindingProcessor(config), Named.as(PROCESSOR))
                .to(config.topic(), Produced.with(Serdes.String(), Serdes.String()).withName(SINK));
    }

    /** Incident to OCSF JSON text, headers replaced by the CloudEvents attributes. */
    static final class FindingProcessor implements FixedKeyProcessor<String, Incident, String> {
        private final OcsfConfig config;
        private FixedKeyProcessorContext<String, String> context;

        FindingProcessor(OcsfConfig config) {
            this.config = config;
        }

        @Override
        public void init(FixedKeyProcessorContext<String, String> context) {
            this.context = context;
        }

        @Override
        public void process(FixedKeyRecord<String, Incident> record) {
            var incident = record.value();
            if (incident == null) {
                return;
            }
            context.forward(record.withValue(json(incident)).withHeaders(CloudEvents.headers(incident, config.source())));
        }

        private String json(Incident incident) {
            try {
                return MAPPER.writeValueAsString(OcsfFinding.from(incident, config));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write the OCSF finding of incident " + incident.getIncidentId(), e);
            }
        }
    }
}

package io.breachwatch.detect;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Back on the user's partition: stores the peer statistics the group sent into the user's state, for the user's
 * next export to compare with. Statistics for a user who left (enough own history now, or forgotten) are dropped.
 */
final class ExportBaselinePeerInbox implements Processor<String, ExportBaselinePeerStats, Void, Void> {
    private KeyValueStore<String, ExportBaselineState> users;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        users = context.getStateStore(ExportBaselineRule.USERS_STORE);
    }

    @Override
    public void process(Record<String, ExportBaselinePeerStats> record) {
        var user = users.get(record.key());
        if (user != null && user.subscribed()) {
            user.peers(record.value());
            users.put(record.key(), user);
        }
    }
}

package io.breachwatch.detect;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Back on the user's partition: stores the peer statistics the group sent into the user's state and judges the
 * user's day again with them when it is still today (the answer may arrive after the exports it was asked for). Statistics for a user who
 * left (enough own history now, or forgotten) are dropped.
 */
final class ExportBaselinePeerInbox implements Processor<String, ExportBaselinePeerStats, String, ExportBaselineSignal> {
    private final ExportBaselineRule rule;
    private ProcessorContext<String, ExportBaselineSignal> context;
    private KeyValueStore<String, ExportBaselineState> users;
    private ExportBaselineEvaluation evaluation;

    ExportBaselinePeerInbox(ExportBaselineRule rule) {
        this.rule = rule;
    }

    @Override
    public void init(ProcessorContext<String, ExportBaselineSignal> context) {
        this.context = context;
        this.users = context.getStateStore(ExportBaselineRule.USERS_STORE);
        this.evaluation = new ExportBaselineEvaluation(rule, context.getStateStore(ExportBaselineRule.LEARNING_STORE));
    }

    @Override
    public void process(Record<String, ExportBaselinePeerStats> record) {
        var user = users.get(record.key());
        if (user == null || !user.subscribed()) {
            return;
        }
        user.peers(record.value());
        users.put(record.key(), user);
        if (rule.config().day(record.timestamp()) != user.day()) {
            return; // the user has not exported today: a past day is not judged again
        }
        var finding = evaluation.evaluate(record.key(), user, record.timestamp());
        if (finding != null) {
            context.forward(new Record<>(record.key(), new ExportBaselineSignal.Alert(finding), record.timestamp(), record.headers()));
        }
    }
}

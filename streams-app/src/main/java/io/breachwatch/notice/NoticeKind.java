package io.breachwatch.notice;

import io.breachwatch.schema.NoticeRecipient;

import java.util.Arrays;
import java.util.List;

/**
 * The obligations that are notices to someone, with their recipient and names; the others (PIPL Arts. 38-40
 * legal basis) are checks, not notices, and give no notice task. The constant names are the obligation codes of
 * {@link io.breachwatch.incident.Obligations}.
 */
public enum NoticeKind {
    PIPL_57_AUTHORITY(NoticeRecipient.AUTHORITY,
            "notice to the personal information protection authority (PIPL Art. 57)",
            "向履行个人信息保护职责的部门报告（《个人信息保护法》第五十七条）"),
    PIPL_57_INDIVIDUALS(NoticeRecipient.INDIVIDUALS,
            "notice to the affected individuals (PIPL Art. 57)",
            "通知受影响的个人（《个人信息保护法》第五十七条）"),
    CAC_INCIDENT_REPORT(NoticeRecipient.REGULATOR,
            "cybersecurity incident report to the Cyberspace Administration (CAC incident reporting measures)",
            "向网信部门报告网络安全事件（《国家网络安全事件报告管理办法》）"),
    GDPR_33(NoticeRecipient.AUTHORITY,
            "notification of the supervisory authority (GDPR Art. 33)",
            "向数据保护监管机构通报（欧盟《通用数据保护条例》第33条）");

    private final NoticeRecipient recipient;
    private final String english;
    private final String chinese;

    NoticeKind(NoticeRecipient recipient, String english, String chinese) {
        this.recipient = recipient;
        this.english = english;
        this.chinese = chinese;
    }

    public NoticeRecipient recipient() {
        return recipient;
    }

    public String code() {
        return name();
    }

    String name(Language language) {
        return language.pick(chinese, english);
    }

    /** The kind of notice an obligation code asks for; null when the obligation is not a notice. */
    public static NoticeKind of(String obligationCode) {
        return Arrays.stream(values()).filter(k -> k.name().equals(obligationCode)).findFirst().orElse(null);
    }

    /** Every obligation code a notice can carry (the values of the {@code obligation} metric tag). */
    public static List<String> codes() {
        return Arrays.stream(values()).map(NoticeKind::code).toList();
    }
}

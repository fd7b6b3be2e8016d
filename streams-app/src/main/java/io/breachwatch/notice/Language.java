package io.breachwatch.notice;

import io.breachwatch.incident.PiCategory;
import io.breachwatch.schema.NoticeRecipient;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The languages notices are rendered in, and how each writes times, lists and the incident's codes. */
public enum Language {
    ZH_CN("zh-CN", "、"),
    EN("en", ", ");

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'xxx", Locale.ROOT);

    private final String tag;
    private final String separator;

    Language(String tag, String separator) {
        this.tag = tag;
        this.separator = separator;
    }

    /** The BCP 47 tag, as in the template file names: {@code notice.zh-CN.txt}. */
    public String tag() {
        return tag;
    }

    /** The text of this language out of its two renderings. */
    String pick(String chinese, String english) {
        return this == ZH_CN ? chinese : english;
    }

    String time(long epochMillis, ZoneId zone) {
        return TIME.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }

    String list(List<String> items, String none) {
        return items.isEmpty() ? none : String.join(separator, items);
    }

    String categories(List<String> codes) {
        var names = codes.stream().map(PiCategory::fromCode).map(c -> pick(c.chinese(), c.english())).toList();
        return list(names, pick("事件中未识别到具体种类", "no category identified in the events"));
    }

    String yesNo(boolean yes) {
        return yes ? pick("是", "yes") : pick("否", "no");
    }

    /** {@code yes} or {@code assess}, as the obligation says. */
    String applies(String applies) {
        if ("assess".equals(applies)) {
            return pick("需评估后决定", "to be assessed");
        }
        return yesNo(true);
    }

    String severity(String severity) {
        if (this == EN) {
            return severity;
        }
        return switch (severity) {
            case "LOW" -> "低";
            case "MEDIUM" -> "中";
            case "HIGH" -> "高";
            case "CRITICAL" -> "严重";
            default -> severity;
        };
    }

    String recipient(NoticeRecipient recipient) {
        return switch (recipient) {
            case AUTHORITY -> pick("个人信息保护监管部门", "the data protection authority");
            case INDIVIDUALS -> pick("受影响的个人", "the affected individuals");
            case REGULATOR -> pick("网信部门", "the Cyberspace Administration (CAC)");
        };
    }

    String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    String none() {
        return pick("无", "none");
    }
}

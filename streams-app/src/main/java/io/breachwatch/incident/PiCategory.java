package io.breachwatch.incident;

import java.util.Locale;

/**
 * Categories of personal information (PI). The {@code sensitive} ones are PIPL Art. 28 sensitive PI, whose
 * leak weighs more: biometrics, religious belief, specific identity, medical and health, financial accounts,
 * whereabouts, and any PI of minors under 14.
 */
public enum PiCategory {
    BASIC_IDENTITY(false, "basic identity (name, gender, birth date)", "基本身份信息"),
    CONTACT(false, "contact details (phone, email, address)", "联系方式"),
    SPECIFIC_IDENTITY(true, "specific identity (ID card or passport number)", "特定身份信息"),
    FINANCIAL_ACCOUNT(true, "financial accounts", "金融账户"),
    MEDICAL_HEALTH(true, "medical and health data", "医疗健康信息"),
    BIOMETRICS(true, "biometrics", "生物识别信息"),
    RELIGIOUS_BELIEF(true, "religious belief", "宗教信仰"),
    WHEREABOUTS(true, "whereabouts and location", "行踪轨迹"),
    MINORS(true, "personal information of minors under 14", "不满十四周岁未成年人的个人信息"),
    OTHER_PI(false, "other personal information", "其他个人信息");

    private final boolean sensitive;
    private final String english;
    private final String chinese;

    PiCategory(boolean sensitive, String english, String chinese) {
        this.sensitive = sensitive;
        this.english = english;
        this.chinese = chinese;
    }

    /** PIPL Art. 28 sensitive personal information. */
    public boolean sensitive() {
        return sensitive;
    }

    public String english() {
        return english;
    }

    public String chinese() {
        return chinese;
    }

    /** The code carried in {@code Incident.pi_categories}: lower-case, e.g. {@code specific_identity}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static PiCategory fromCode(String code) {
        return valueOf(code.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}

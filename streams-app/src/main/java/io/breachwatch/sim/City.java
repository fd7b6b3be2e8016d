package io.breachwatch.sim;

/** Where an office or a source IP is. */
public record City(String name, String country, double latitude, double longitude) {
    static final City SHANGHAI = new City("Shanghai", "CN", 31.2304, 121.4737);
    static final City BEIJING = new City("Beijing", "CN", 39.9042, 116.4074);
    static final City SHENZHEN = new City("Shenzhen", "CN", 22.5431, 114.0579);
    static final City HANGZHOU = new City("Hangzhou", "CN", 30.2741, 120.1551);
    static final City CHENGDU = new City("Chengdu", "CN", 30.5728, 104.0668);
    static final City AMSTERDAM = new City("Amsterdam", "NL", 52.3676, 4.9041);

    static final City[] OFFICES = {SHANGHAI, BEIJING, SHENZHEN, HANGZHOU, CHENGDU};
}

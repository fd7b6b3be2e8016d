package io.breachwatch.sim;

import java.util.SplittableRandom;

/** Deterministic random streams derived from the seed and a position (user, day, hour), so hours are independent. */
final class Rng {
    private Rng() {
    }

    static SplittableRandom of(long seed, long... coordinates) {
        long h = seed ^ 0x9E3779B97F4A7C15L;
        for (long c : coordinates) {
            h = mix(h + c * 0xBF58476D1CE4E5B9L);
        }
        return new SplittableRandom(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static int poisson(SplittableRandom rng, double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 30) {
            return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * gaussian(rng)));
        }
        double limit = Math.exp(-mean);
        double p = 1;
        int k = 0;
        do {
            k++;
            p *= rng.nextDouble();
        } while (p > limit);
        return k - 1;
    }

    private static double gaussian(SplittableRandom rng) {
        double u1 = Math.max(rng.nextDouble(), 1e-12);
        return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    static <T> T pick(SplittableRandom rng, T[] options) {
        return options[rng.nextInt(options.length)];
    }
}

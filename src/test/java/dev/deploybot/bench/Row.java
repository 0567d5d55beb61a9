package dev.deploybot.bench;

/**
 * One line of the benchmark table: what was measured, the bot's figure, the bare app's figure beside it (when
 * it has one) with their ratio, and the target it answers to.
 */
record Row(String figure, String value, String bare, String ratio, String target) {
    Row(String figure, String value, String target) {
        this(figure, value, "", "", target);
    }

    /** A figure both programs have; the ratio is the bot's over the bare app's. */
    static Row compared(String figure, double bot, double bare, String unit, String target) {
        return new Row(figure, amount(bot, unit), amount(bare, unit), String.format("%.2fx", bot / bare), target);
    }

    private static String amount(double value, String unit) {
        return String.format(value >= 100 ? "%.0f %s" : "%.2f %s", value, unit);
    }
}

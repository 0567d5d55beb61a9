package dev.deploybot.bench;

/** One line of the benchmark table: what was measured, the figure, and the target it answers to. */
record Row(String figure, String value, String target) {
}

package io.meshd.net.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricRegistryTest {

    private enum Event { RX_FRAMES, TX_FRAMES }

    @Test
    void shouldListEveryConstantOfEnumCountersAsOneLabelledSeries() {
        MetricRegistry registry = new MetricRegistry();
        EnumCounters<Event> counters = registry.register(
            new EnumCounters<>(Event.class, "meshd_test_events_total", "Test events", "event"));
        counters.add(Event.TX_FRAMES, 3);

        List<Sample> samples = registry.samples();

        String name = "meshd_test_events_total";
        assertEquals(List.of(
            new Sample(name, MetricType.COUNTER, "Test events", Labels.of("event", "rx-frames"), 0),
            new Sample(name, MetricType.COUNTER, "Test events", Labels.of("event", "tx-frames"), 3)),
            samples);
    }

    @Test
    void shouldStopListingAnUnregisteredSource() {
        MetricRegistry registry = new MetricRegistry();
        MetricSource gauge = sink -> sink.sample("meshd_members", MetricType.GAUGE, "Members", Labels.none(), 5);
        registry.register(gauge);
        registry.unregister(gauge);

        assertEquals(List.of(), registry.samples());
    }

    @Test
    void shouldRefuseACounterNotNamedTotal() {
        MetricRegistry registry = new MetricRegistry();
        registry.register(sink -> sink.sample("meshd_drops", MetricType.COUNTER, "Drops", Labels.none(), 1));

        assertThrows(IllegalStateException.class, registry::samples);
        assertThrows(IllegalArgumentException.class, () -> new EnumCounters<>(Event.class, "meshd_x", "X", "event"));
    }

    @Test
    void shouldRefuseOneNameWithTwoTypesOrTheSameSeriesTwice() {
        MetricRegistry twoTypes = new MetricRegistry();
        twoTypes.register(sink -> sink.sample("meshd_x_total", MetricType.COUNTER, "X", Labels.of("a", "1"), 1));
        twoTypes.register(sink -> sink.sample("meshd_x_total", MetricType.GAUGE, "X", Labels.of("a", "2"), 1));
        MetricRegistry twice = new MetricRegistry();
        twice.register(sink -> sink.sample("meshd_x_total", MetricType.COUNTER, "X", Labels.of("a", "1"), 1));
        twice.register(sink -> sink.sample("meshd_x_total", MetricType.COUNTER, "X", Labels.of("a", "1"), 2));

        assertThrows(IllegalStateException.class, twoTypes::samples);
        assertThrows(IllegalStateException.class, twice::samples);
    }

    @Test
    void shouldRefuseACounterWhoseFamilyNameIsAnotherMetrics() {
        MetricRegistry clash = new MetricRegistry();
        clash.register(sink -> sink.sample("meshd_pins_total", MetricType.COUNTER, "Pins", Labels.none(), 1));
        clash.register(sink -> sink.sample("meshd_pins", MetricType.GAUGE, "Pins now", Labels.none(), 1));

        assertThrows(IllegalStateException.class, clash::samples);
    }

    @Test
    void shouldRefuseInvalidOrDuplicateLabelNames() {
        assertThrows(IllegalArgumentException.class, () -> Labels.of("bad-name", "v"));
        assertThrows(IllegalArgumentException.class, () -> Labels.of("__reserved", "v"));
        assertThrows(IllegalArgumentException.class, () -> Labels.of("a", "1").and("a", "2"));
        assertEquals("2", Labels.of("a", "1").and("b", "2").value("b"));
    }
}

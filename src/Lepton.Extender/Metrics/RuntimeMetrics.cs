using System.Diagnostics.Metrics;
using Prometheus;

namespace Lepton.Extender.Metrics;

/// <summary>
/// The .NET runtime's metrics, exported once. prometheus-net's defaults publish them three
/// times: its own process collector (<c>process_*</c>, <c>dotnet_collection_count_total</c>,
/// <c>dotnet_total_memory_bytes</c>), its .NET Meters adapter, which since .NET 9 also carries the
/// runtime's <c>System.Runtime</c> meter (<c>system_runtime_dotnet_gc_collections</c>,
/// <c>system_runtime_dotnet_process_cpu_time</c>…, counted differently: gen0 collections
/// exclude the higher generations there and include them in <c>dotnet_collection_count_total</c>),
/// and its EventCounters adapter over the same runtime. Lepton keeps the process collector (the
/// names Prometheus' conventions and common dashboards use), keeps the Meters adapter for every
/// other meter (ASP.NET Core, Kestrel) and drops the runtime meter there, and turns the
/// EventCounters adapter off.
/// </summary>
public static class RuntimeMetrics
{
    /// <summary>The runtime's own meter, left out of the Meters adapter.</summary>
    public const string RuntimeMeterName = "System.Runtime";

    /// <summary>Whether the Meters adapter exports an instrument: all but the runtime meter's.</summary>
    /// <param name="instrument">The instrument.</param>
    /// <returns>False for the runtime meter's instruments.</returns>
    public static bool ExportsInstrument(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        return instrument.Meter.Name != RuntimeMeterName;
    }

    /// <summary>
    /// Configures the defaults of <see cref="Prometheus.Metrics.DefaultRegistry"/> (what <c>lepton serve</c>
    /// serves). prometheus-net applies them at the registry's first collection, so this must run before
    /// the first scrape; later calls change nothing.
    /// </summary>
    public static void ConfigureDefaultRegistry()
    {
        Prometheus.Metrics.ConfigureMeterAdapter(options => options.InstrumentFilterPredicate = ExportsInstrument);
        Prometheus.Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions
        {
            SuppressProcessMetrics = false,
            SuppressDebugMetrics = false,
            SuppressEventCounters = true,
            SuppressMeters = false,
        });
    }

    /// <summary>Registers the same runtime metrics on another registry (tests, embedding hosts).</summary>
    /// <param name="registry">The registry.</param>
    /// <returns>Stops the Meters adapter.</returns>
    public static IDisposable Register(CollectorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        DotNetStats.Register(registry);
        return MeterAdapter.StartListening(new MeterAdapterOptions { Registry = registry, InstrumentFilterPredicate = ExportsInstrument });
    }
}

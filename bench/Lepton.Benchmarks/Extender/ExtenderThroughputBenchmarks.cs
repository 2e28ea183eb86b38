using System.Buffers;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Lepton.Extender;
using Lepton.Extender.Http;

namespace Lepton.Benchmarks.Extender;

/// <summary>
/// Throughput and allocations of one filter or prioritize request in process (the same handler
/// code the HTTP endpoints call), Lepton against the null extender. Percentiles come from
/// <see cref="ExtenderLatencyHarness"/>, not from here (DECISIONS.md 17).
/// <c>dotnet run -c Release --project bench/Lepton.Benchmarks -- --filter '*ExtenderThroughput*'</c>
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class ExtenderThroughputBenchmarks
{
    private ExtenderBenchHost _host = null!;
    private byte[] _body = null!;
    private long _uid;
    private int _uidOffset;

    /// <summary>Cluster size.</summary>
    [Params(100, 500, 5000)]
    public int Nodes { get; set; }

    /// <summary>Request mode.</summary>
    [Params("NodeNames", "Nodes")]
    public string Mode { get; set; } = "NodeNames";

    /// <summary>Builds the cluster and the request.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var cluster = SyntheticCluster.Generate(Nodes);
        _host = ExtenderBenchHost.InProcess(cluster, "FGD");
        var pod = SyntheticCluster.PodJson(0, "00000000-0000-4000-8000-000000000000");
        var sb = new StringBuilder("{\"Pod\":").Append(pod);
        sb.Append(Mode == "NodeNames"
            ? ",\"Nodes\":null,\"NodeNames\":[" + string.Join(',', cluster.Nodes.Select(n => "\"" + n.Name + "\"")) + "]}"
            : ",\"Nodes\":{\"metadata\":{},\"items\":[" + string.Join(',', cluster.NodeJson) + "]},\"NodeNames\":null}");
        _body = Encoding.UTF8.GetBytes(sb.ToString());
        _uidOffset = _body.AsSpan().IndexOf("8000-000000000000"u8) + 5;
    }

    /// <summary>Disposes the host.</summary>
    [GlobalCleanup]
    public void Cleanup() => _host.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Lepton filter (a new pod each time: parsed and mapped).</summary>
    /// <returns>Bytes written.</returns>
    [Benchmark]
    public int LeptonFilter()
    {
        NextUid();
        return Run(ExtenderVerb.Filter, nullExtender: false);
    }

    /// <summary>Lepton prioritize (the pod seen by filter before: taken from the pod cache).</summary>
    /// <returns>Bytes written.</returns>
    [Benchmark]
    public int LeptonPrioritize() => Run(ExtenderVerb.Prioritize, nullExtender: false);

    /// <summary>The null extender's filter.</summary>
    /// <returns>Bytes written.</returns>
    [Benchmark(Baseline = true)]
    public int NullFilter() => Run(ExtenderVerb.Filter, nullExtender: true);

    /// <summary>The null extender's prioritize.</summary>
    /// <returns>Bytes written.</returns>
    [Benchmark]
    public int NullPrioritize() => Run(ExtenderVerb.Prioritize, nullExtender: true);

    private void NextUid() =>
        Encoding.ASCII.GetBytes((++_uid).ToString("x12", CultureInfo.InvariantCulture), _body.AsSpan(_uidOffset, 12));

    private int Run(ExtenderVerb verb, bool nullExtender)
    {
        var body = new ReadOnlySequence<byte>(_body);
        var reply = nullExtender ? NullExtender.Process(verb, body) : _host.Handler!.ProcessAsync(verb, body).GetAwaiter().GetResult();
        using var output = new PooledBufferWriter(16 * 1024);
        reply.WriteTo(output);
        return output.WrittenCount;
    }

    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() =>
            AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("InProcess"));
    }
}

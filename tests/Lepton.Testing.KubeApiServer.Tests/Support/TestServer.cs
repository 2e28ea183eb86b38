using k8s;
using Microsoft.Extensions.Time.Testing;

namespace Lepton.Testing.KubeApiServer.Tests.Support;

/// <summary>Starts a server on a fake clock and builds clients for it.</summary>
internal static class TestServer
{
    /// <summary>2026-01-01T00:00:00Z: every test starts its clock here.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static Task<KubeApiTestServer> StartAsync(FakeTimeProvider time, Action<KubeApiTestServerOptions>? configure = null)
    {
        var options = new KubeApiTestServerOptions { TimeProvider = time, Random = new Random(42) };
        configure?.Invoke(options);
        return KubeApiTestServer.StartAsync(options);
    }

    public static FakeTimeProvider NewClock() => new(Epoch);

    public static Kubernetes Client(this KubeApiTestServer server) =>
        new(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() });

    public static HttpClient Http(this KubeApiTestServer server) => new() { BaseAddress = server.BaseAddress };

    /// <summary>A real-time bound for awaiting something that should happen promptly; never used to wait for time to pass.</summary>
    public static CancellationToken Generous() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
}

using k8s;
using Lepton.Testing.KubeApiServer;

namespace Lepton.Operator.Tests.Testing;

/// <summary>Starts the in-process API test server and a KubernetesClient pointed at it.</summary>
public sealed class TestKube : IAsyncDisposable
{
    private TestKube(KubeApiTestServer server, k8s.Kubernetes client, RecordingHandler sent)
    {
        Server = server;
        Client = client;
        Sent = sent;
    }

    public KubeApiTestServer Server { get; }

    public k8s.Kubernetes Client { get; }

    /// <summary>Every request the client sent, recorded when sent.</summary>
    public RecordingHandler Sent { get; }

    public static async Task<TestKube> StartAsync(Action<KubeApiTestServerOptions>? configure = null)
    {
        var options = new KubeApiTestServerOptions { Random = new Random(42) };
        configure?.Invoke(options);
        var server = await KubeApiTestServer.StartAsync(options, Timeouts.Token());
        var sent = new RecordingHandler();
        var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = server.BaseAddress.ToString() }, sent);
        return new TestKube(server, client, sent);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}

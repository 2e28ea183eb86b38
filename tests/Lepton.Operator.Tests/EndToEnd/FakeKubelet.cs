using System.Threading.Channels;
using k8s.Models;
using Lepton.Operator.Controllers;
using Lepton.Testing.KubeApiServer;

namespace Lepton.Operator.Tests.EndToEnd;

/// <summary>
/// Plays the kubelets: a pod bound to a node and still <c>Pending</c> is set <c>Running</c>; with
/// <see cref="AutoSucceed"/> it then finishes <c>Succeeded</c> at once. Tests finish pods themselves otherwise.
/// </summary>
public sealed class FakeKubelet : IAsyncDisposable
{
    private readonly KubeApiTestServer _server;
    private readonly Channel<NamespacedName> _bound = Channel.CreateUnbounded<NamespacedName>();
    private readonly IDisposable _subscription;
    private readonly Task _loop;

    public FakeKubelet(KubeApiTestServer server, ObjectWatch<V1Pod> pods)
    {
        _server = server;
        _subscription = pods.Subscribe(e =>
        {
            var pod = e.NewObject;
            if (pod is not null && !string.IsNullOrEmpty(pod.Spec?.NodeName) && (pod.Status?.Phase is null or "Pending") && pod.Metadata.DeletionTimestamp is null)
            {
                _bound.Writer.TryWrite(NamespacedName.Of(pod));
            }
        });
        _loop = Task.Run(RunAsync);
    }

    public bool AutoSucceed { get; set; }

    public int Started { get; private set; }

    public void Finish(string? @namespace, string name, string phase = "Succeeded") =>
        Modify(@namespace, name, p => p["status"]!["phase"] = phase);

    public async ValueTask DisposeAsync()
    {
        _subscription.Dispose();
        _bound.Writer.TryComplete();
        await _loop;
    }

    private void Modify(string? @namespace, string name, Action<System.Text.Json.Nodes.JsonObject> change)
    {
        try
        {
            _server.Modify("pods", @namespace, name, change);
        }
        catch (Lepton.Testing.KubeApiServer.Errors.KubeApiException)
        {
            // The pod is gone.
        }
    }

    private async Task RunAsync()
    {
        await foreach (var key in _bound.Reader.ReadAllAsync())
        {
            var started = false;
            Modify(key.Namespace, key.Name, p =>
            {
                if (p["spec"]?["nodeName"] is not null && (string?)p["status"]?["phase"] is null or "Pending" && p["metadata"]?["deletionTimestamp"] is null)
                {
                    p["status"] ??= new System.Text.Json.Nodes.JsonObject();
                    p["status"]!["phase"] = "Running";
                    started = true;
                }
            });
            if (started)
            {
                Started++;
                if (AutoSucceed)
                {
                    Finish(key.Namespace, key.Name);
                }
            }
        }
    }
}

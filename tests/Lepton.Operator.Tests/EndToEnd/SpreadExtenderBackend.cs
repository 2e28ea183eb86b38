using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Lepton.Extender;
using Lepton.Extender.Http;
using Lepton.Kubernetes.Wire;
using Lepton.Scheduling.Inventory;
using Lepton.Simulator.Kube;
using Microsoft.Extensions.DependencyInjection;

namespace Lepton.Operator.Tests.EndToEnd;

/// <summary>A verb call that a replica refused because it is not serving (kube-scheduler fails the cycle and retries).</summary>
public sealed class ExtenderRefusedException(string message) : Exception(message);

/// <summary>
/// kube-scheduler's extender calls spread over several replicas' addresses, as behind one Service
/// whose established connections outlive an endpoint change: every call (filter, prioritize, bind)
/// goes to a replica drawn at random among the running ones, as the wire JSON kube-scheduler sends,
/// through that replica's own request handler (the HTTP path without the socket). A standby's
/// refusal fails the cycle, as it fails kube-scheduler's.
/// </summary>
public sealed class SpreadExtenderBackend(Func<IReadOnlyList<OperatorInstance>> replicas, Func<string, V1Pod?> podByUid, int seed) : IExtenderBackend
{
    private readonly Random _random = new(seed);
    private readonly Lock _gate = new();

    /// <summary>Calls per replica identity.</summary>
    public Dictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

    /// <summary>Calls refused by a replica that was not serving.</summary>
    public int Refusals { get; private set; }

    public async ValueTask<ExtenderFilterResult> FilterAsync(PodDemand pod, IReadOnlyList<string> nodeNames, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(ExtenderVerb.Filter, Args(pod, nodeNames), cancellationToken);
        var result = JsonSerializer.Deserialize<ExtenderFilterResult>(reply.Body)!;
        if (!string.IsNullOrEmpty(result.Error) && result.Error.Contains("not serving", StringComparison.Ordinal))
        {
            Refused();
        }

        return result;
    }

    public async ValueTask<HostScores> PrioritizeAsync(PodDemand pod, IReadOnlyList<string> nodeNames, CancellationToken cancellationToken)
    {
        var reply = await SendAsync(ExtenderVerb.Prioritize, Args(pod, nodeNames), cancellationToken);
        if (reply.Status != 200)
        {
            Refused();
            throw new ExtenderRefusedException($"prioritize answered {reply.Status}: {reply.Body}");
        }

        var list = JsonSerializer.Deserialize<List<HostPriority>>(reply.Body)!;
        return HostScores.From(list);
    }

    public async ValueTask<ExtenderBindingResult> BindAsync(PodDemand pod, string nodeName, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["PodName"] = pod.Name, ["PodNamespace"] = pod.Namespace, ["PodUID"] = pod.Uid, ["Node"] = nodeName }.ToJsonString();
        var reply = await SendAsync(ExtenderVerb.Bind, body, cancellationToken);
        var result = JsonSerializer.Deserialize<ExtenderBindingResult>(reply.Body)!;
        if (result.Error.Contains("not serving", StringComparison.Ordinal))
        {
            Refused();
        }

        return result;
    }

    private void Refused()
    {
        lock (_gate)
        {
            Refusals++;
        }
    }

    private async Task<(int Status, string Body)> SendAsync(ExtenderVerb verb, string body, CancellationToken cancellationToken)
    {
        OperatorInstance replica;
        lock (_gate)
        {
            var live = replicas();
            replica = live[_random.Next(live.Count)];
            var who = replica.Elector.Identity;
            Calls[who] = Calls.GetValueOrDefault(who) + 1;
        }

        var handler = replica.Services.GetRequiredService<ExtenderRequestHandler>();
        var reply = await handler.ProcessAsync(verb, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(body)), cancellationToken);
        var output = new ArrayBufferWriter<byte>();
        reply.WriteTo(output);
        return (reply.StatusCode, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    private string Args(PodDemand pod, IReadOnlyList<string> nodeNames)
    {
        var v1 = podByUid(pod.Uid) ?? throw new InvalidOperationException($"pod {pod.Key} is not in the scheduler's cache");
        return new JsonObject
        {
            ["Pod"] = JsonNode.Parse(KubernetesJson.Serialize(v1)),
            ["Nodes"] = null,
            ["NodeNames"] = new JsonArray([.. nodeNames.Select(n => (JsonNode)JsonValue.Create(n))]),
        }.ToJsonString();
    }
}

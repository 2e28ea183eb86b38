using System.Buffers;
using System.Text;
using System.Text.Json;
using Lepton.Extender.Tests.TestSupport;
using Lepton.Scheduling.Binding;
using Lepton.Scheduling.State;
using Lepton.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Lepton.Extender.Tests.Http;

/// <summary>
/// Issue 12: the verb's work is cut off at the request's deadline (<see cref="ExtenderOptions.RequestTimeout"/>
/// on the injected clock), the answer is then the verb's degraded answer, and it is written whole
/// with a token of its own, never an empty 500. A bind cut off keeps its assumption.
/// </summary>
public sealed class RequestDeadlineTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(4.5);

    /// <summary>A binder whose API server never answers: it waits until the request's deadline cancels it.</summary>
    private sealed class HangingBinder : IPodBinder
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask BindAsync(PodBindingRequest binding, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
        }
    }

    /// <summary>A binder the API server refuses (bound elsewhere): a known failure.</summary>
    private sealed class RefusingBinder : IPodBinder
    {
        public ValueTask BindAsync(PodBindingRequest binding, CancellationToken cancellationToken) =>
            ValueTask.FromException(new InvalidOperationException("pod default/p is already bound to node m"));
    }

    /// <summary>A binder that times out on its own (its outcome is unknown).</summary>
    private sealed class UnknownOutcomeBinder : IPodBinder
    {
        public ValueTask BindAsync(PodBindingRequest binding, CancellationToken cancellationToken) =>
            ValueTask.FromException(new BindingOutcomeUnknownException("no answer from the API server (TimeoutRejectedException)"));
    }

    [Fact]
    public async Task Bind_ApiServerHangsPastTheDeadline_WholeErrorAnswerAndAssumptionKept()
    {
        var binder = new HangingBinder();
        var pod = Make.PodJson("p").Gpus(2);
        await using var sut = await ExtenderTestServer.StartAsync(null, null, s => s.AddSingleton<IPodBinder>(binder), null, Make.GpuNode("n", cards: 4));
        sut.WithPods(pod);

        var answer = sut.PostAsync("/bind", Requests.Bind("p", "uid-p", "n"));
        await binder.Entered.Task;
        await sut.Time.WhenTimersArmedAsync(Deadline, 1);
        sut.Time.Advance(Deadline);
        var (status, body) = await answer;

        Assert.Equal(200, status);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("Error").GetString();
        Assert.StartsWith("bind of pod default/p to node n: outcome unknown", error, StringComparison.Ordinal);
        Assert.True(sut.State.TryGetPod("uid-p", out var placed));
        Assert.Equal(("n", PlacementPhase.Assumed), (placed.NodeName, placed.Phase));
    }

    [Fact]
    public async Task Bind_AssumptionKeptAfterUnknownOutcome_ForgottenOnlyAfterTheAssumeTimeout()
    {
        var pod = Make.PodJson("p").Gpus(2);
        await using var sut = await ExtenderTestServer.StartAsync(null, null, s => s.AddSingleton<IPodBinder>(new UnknownOutcomeBinder()), null, Make.GpuNode("n", cards: 4));
        sut.WithPods(pod);

        var bind = await sut.PostJsonAsync("/bind", Requests.Bind("p", "uid-p", "n"));
        var filter = await sut.PostJsonAsync("/filter", Requests.NodeNames(Make.PodJson("q").Gpus(3), "n"));
        sut.Time.Advance(new ClusterStateOptions().AssumeTimeout);
        sut.State.ForgetExpired();

        Assert.Contains("outcome unknown", bind.GetProperty("Error").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, filter.GetProperty("NodeNames").ValueKind);
        Assert.False(sut.State.TryGetPod("uid-p", out _));
    }

    [Fact]
    public async Task Bind_UnknownOutcomeThenTheInformerShowsThePodBoundElsewhere_AccountedThereOnly()
    {
        var pod = Make.PodJson("p").Gpus(4);
        await using var sut = await ExtenderTestServer.StartAsync(null, null, s => s.AddSingleton<IPodBinder>(new UnknownOutcomeBinder()), null, Make.GpuNode("n", cards: 4), Make.GpuNode("m", cards: 4));
        sut.WithPods(pod);

        await sut.PostJsonAsync("/bind", Requests.Bind("p", "uid-p", "n"));
        var whileUnknown = await sut.PostJsonAsync("/filter", Requests.NodeNames(Make.PodJson("q").Gpus(4), "n", "m"));
        sut.State.Confirm(sut.Services.GetRequiredService<Lepton.Kubernetes.KubeObjectMapper>().ToDemand(pod.ToElement()), "m");
        var afterInformer = await sut.PostJsonAsync("/filter", Requests.NodeNames(Make.PodJson("q").Gpus(4), "n", "m"));

        Assert.Equal(["m"], whileUnknown.GetProperty("NodeNames").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["n"], afterInformer.GetProperty("NodeNames").EnumerateArray().Select(e => e.GetString()));
        Assert.True(sut.State.TryGetPod("uid-p", out var placed));
        Assert.Equal(("m", PlacementPhase.Bound), (placed.NodeName, placed.Phase));
    }

    [Fact]
    public async Task Bind_Refused_AssumptionUndone()
    {
        var pod = Make.PodJson("p").Gpus(2);
        await using var sut = await ExtenderTestServer.StartAsync(null, null, s => s.AddSingleton<IPodBinder>(new RefusingBinder()), null, Make.GpuNode("n", cards: 4));
        sut.WithPods(pod);

        var bind = await sut.PostJsonAsync("/bind", Requests.Bind("p", "uid-p", "n"));

        Assert.Contains("already bound to node m", bind.GetProperty("Error").GetString(), StringComparison.Ordinal);
        Assert.False(sut.State.TryGetPod("uid-p", out _));
    }

    [Theory]
    [InlineData(ExtenderVerb.Filter)]
    [InlineData(ExtenderVerb.Prioritize)]
    [InlineData(ExtenderVerb.Bind)]
    [InlineData(ExtenderVerb.Preempt)]
    public async Task ProcessAsync_DeadlinePassedBeforeTheWork_VerbsDegradedAnswer(ExtenderVerb verb)
    {
        using var harness = new ExtenderHarness().WithNodes(Make.GpuNode("a"), Make.GpuNode("b"));
        var pod = Make.PodJson("p").Gpus(1);
        harness.WithPods(pod);
        var body = verb switch
        {
            ExtenderVerb.Bind => Requests.Bind("p", "uid-p", "a"),
            ExtenderVerb.Preempt => Requests.PreemptMeta(pod, ("a", ["v1"], 1), ("b", ["v2"], 0)),
            _ => Requests.NodeNames(pod, "a", "b"),
        };

        var reply = await harness.Handler.ProcessAsync(verb, new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(body)), new CancellationToken(canceled: true));

        Assert.Equal(200, reply.StatusCode);
        var output = new ArrayBufferWriter<byte>();
        reply.WriteTo(output);
        var json = JsonDocument.Parse(output.WrittenMemory).RootElement;
        switch (verb)
        {
            case ExtenderVerb.Filter or ExtenderVerb.Bind:
                Assert.StartsWith("Lepton could not answer within the request deadline", json.GetProperty("Error").GetString(), StringComparison.Ordinal);
                break;
            case ExtenderVerb.Prioritize:
                // Every node scores 0, and a 0 adds nothing in kube-scheduler: the answer names none.
                Assert.Equal(JsonValueKind.Array, json.ValueKind);
                Assert.Equal(0, json.GetArrayLength());
                break;
            default:
                Assert.Equal(["a", "b"], json.GetProperty("NodeNameToMetaVictims").EnumerateObject().Select(p => p.Name));
                break;
        }

        Assert.False(harness.State.TryGetPod("uid-p", out _));
    }
}

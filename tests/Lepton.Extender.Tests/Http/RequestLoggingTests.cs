using Lepton.Extender.Tests.TestSupport;
using Lepton.Testing;
using Microsoft.Extensions.Logging;

namespace Lepton.Extender.Tests.Http;

/// <summary>
/// Issue 12's acceptance: 1,000 extender requests at Information write fewer than 10 log lines.
/// The logging is <c>lepton serve</c>'s (<c>ServeHost.ConfigureLogging</c>: Information, and the
/// <c>Microsoft.AspNetCore</c> categories from Warning) with a capturing provider in place of the
/// JSON console, over real Kestrel and the extender's whole request pipeline.
/// </summary>
public sealed class RequestLoggingTests
{
    [Fact]
    public async Task EveryVerb_ThousandRequestsAtInformation_FewerThanTenLogLines()
    {
        var logs = new CapturingLoggerProvider();
        await using var sut = await ExtenderTestServer.StartWithServeLoggingAsync(logs);
        var pod = Make.PodJson("p").Gpus(1);
        sut.WithPods(pod);
        var before = logs.Lines.Count;
        string[] verbs = ["/filter", "/prioritize", "/bind", "/preempt"];
        string[] bodies =
        [
            Requests.NodeNames(pod, "n1", "n2", "c1"),
            Requests.NodeNames(pod, "n1", "n2", "c1"),
            Requests.Bind("p", "uid-p", "n1"),
            Requests.PreemptMeta(pod, ("n1", ["uid-x"], 0), ("n2", [], 0)),
        ];

        for (var i = 0; i < 1_000; i += 8)
        {
            await Task.WhenAll(Enumerable.Range(i, 8).Select(async k =>
            {
                var (status, _) = await sut.PostAsync(verbs[k % 4], bodies[k % 4]);
                Assert.Equal(200, status);
            }));
        }

        var lines = logs.Lines.Skip(before).ToList();
        Assert.True(lines.Count < 10, string.Join('\n', lines.Select(l => $"{l.Level} {l.Category}: {l.Message}")));
    }
}
